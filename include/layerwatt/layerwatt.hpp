#pragma once
// Everything in one include. Prefer the one-idea headers in user code that cares about build time.

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/core/warning.hpp"

#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/benchmark_summary.hpp"
#include "layerwatt/io/csv.hpp"
#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/json_document.hpp"
#include "layerwatt/io/json_scanner.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/layerwise_mapping.hpp"
#include "layerwatt/io/line_reader.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/io/raw_data_dir.hpp"

#include "layerwatt/sense/clock.hpp"
#include "layerwatt/sense/idle.hpp"
#include "layerwatt/sense/ina3221.hpp"
#include "layerwatt/sense/interval_histogram.hpp"
#include "layerwatt/sense/power_logger.hpp"
#include "layerwatt/sense/replay.hpp"
#include "layerwatt/sense/sampler.hpp"
#include "layerwatt/sense/sampling_loop.hpp"
#include "layerwatt/sense/sysfs_attribute.hpp"

#include "layerwatt/profile/layer_timer.hpp"
#if __has_include(<NvInfer.h>)
#include "layerwatt/profile/tensorrt.hpp"
#endif

#include "layerwatt/dataset/feature_columns.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
