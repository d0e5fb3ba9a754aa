#pragma once
// SIGINT/SIGTERM for the commands that do not wait for them (`map`, `convert`, `dataset`, ...):
// stop at once, remove the temporary file of every output being written, exit 130. Outputs already
// committed stay whole; the destination of the one in progress keeps its previous content (or
// stays absent). `log` and `idle` block both signals (stop_signals.hpp) and finish their files
// instead, so this handler never runs there.

#include <signal.h>
#include <unistd.h>

#include "command.hpp"
#include "layerwatt/io/atomic_file.hpp"

namespace layerwatt::cli {

namespace detail {
inline void remove_outputs_and_exit(int) {
  io::unlink_temporary_outputs();
  ::_exit(exit_interrupted);
}
}  // namespace detail

inline void remove_outputs_on_interrupt() noexcept {
  struct sigaction action {};
  action.sa_handler = detail::remove_outputs_and_exit;
  ::sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

}  // namespace layerwatt::cli
