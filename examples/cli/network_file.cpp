// read_network: the one translation unit of the CLI that includes ONNX (its headers are heavy).

#include "network_file.hpp"

#if defined(LAYERWATT_WITH_ONNX)
#include "layerwatt/onnx/read_engine_info.hpp"
#endif

namespace layerwatt::cli {

io::engine_info read_network(const std::filesystem::path& file, const network_options& options) {
  // A pipe (a process substitution) is read as a file is: only what no read can take is refused here.
  if (std::error_code ec; std::filesystem::is_directory(file, ec) || !std::filesystem::exists(file, ec))
    throw error(fmt::format("{}: {}; expected a TensorRT engine-inspector JSON file (trtexec --exportLayerInfo, "
                            "`layerwatt zoo`) or an ONNX model (*.onnx)",
                            file.string(), std::filesystem::is_directory(file, ec) ? "a directory" : "no such file"));
  if (!is_onnx_file(file)) {
    if (options.precision || !options.input_shapes.empty() || options.skip_unsupported)
      throw usage_error(fmt::format("--precision, --input-shape and --unsupported apply to ONNX models (*.onnx); {} is "
                                    "an engine file, which carries its own",
                                    file.string()));
    return io::read_engine_info(file);
  }
#if defined(LAYERWATT_WITH_ONNX)
  onnx::read_options read;
  read.precision = options.precision.value_or(io::precision::fp16);
  for (const auto& [name, dims] : options.input_shapes)
    if (!read.input_shapes.emplace(name, dims).second)
      throw usage_error(fmt::format("--input-shape gives input \"{}\" twice", name));
  if (options.skip_unsupported.value_or(false)) read.unsupported = onnx::unsupported_ops::skip;
  return onnx::read_engine_info(file, read);
#else
  throw error(fmt::format("{}: this layerwatt was built without the ONNX front end; install libonnx-dev and "
                          "libprotobuf-dev (scripts/setup.sh does) and build again",
                          file.string()));
#endif
}

}  // namespace layerwatt::cli
