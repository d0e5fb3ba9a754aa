#pragma once
// Every subcommand, defined in commands/<name>.cpp.

#include "command.hpp"

namespace layerwatt::cli {

extern const command inspect_command;
extern const command sensors_command;
extern const command log_command;
extern const command idle_command;

}  // namespace layerwatt::cli
