// The dense presets in every shape, compiled once for this project's programs (tests, CLI,
// benchmarks), which define LAYERWATT_PRECOMPILED_PRESETS (include/layerwatt/model/train_presets.hpp).
#include "layerwatt/model/train_presets.hpp"
#include "layerwatt/predict/model_set.hpp"

namespace layerwatt {
template model::fit_result model::detail::fit_preset<layer_kind::dense>(target, const model::target_rows&,
                                                                     const model::target_rows&,
                                                                     const model::training_config&, const warning_sink&);
template predict::layer_model predict::detail::load_preset_model<layer_kind::dense>(const io::json_document&, target);
}  // namespace layerwatt
