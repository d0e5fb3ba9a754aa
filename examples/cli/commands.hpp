#pragma once
// Every subcommand, defined in commands/<name>.cpp.

#include "command.hpp"

namespace layerwatt::cli {

extern const command inspect_command;

}  // namespace layerwatt::cli
