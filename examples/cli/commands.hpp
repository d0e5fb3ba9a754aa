#pragma once
// Every subcommand, defined in commands/<name>.cpp.

#include "command.hpp"

namespace layerwatt::cli {

extern const command inspect_command;
extern const command map_command;
extern const command convert_command;
extern const command dataset_command;
extern const command simulate_command;
extern const command zoo_command;
extern const command sensors_command;
extern const command log_command;
extern const command idle_command;
extern const command measure_command;
extern const command train_command;
extern const command predict_command;

}  // namespace layerwatt::cli
