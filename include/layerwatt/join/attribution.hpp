#pragma once
// The attribution policy: the power drawn during each layer window.
//
// An attribution policy is a type P with
//   static constexpr std::string_view name;   // as the CLI spells it: "window-mean"
// and one of
//   void attribute(const power_signal& signal, std::span<const layer_window> windows,
//                  std::span<double> power_uw);
//   void attribute(const power_signal& signal, std::span<const layer_window> windows,
//                  std::span<const entry_index> entries, std::span<double> power_uw);
// It is called once per model with every window of the run, in processing order (cycle by cycle,
// the layers of a cycle in execution order — not necessarily time order: end-stamp windows
// overlap), and writes power_uw[i] (same size as `windows`), the mean power in µW it attributes to
// windows[i], idle included, or no_power where it has none. The second form also gets which layer
// and cycle each window is (entries[i] for windows[i]): a policy that pools a layer's windows over
// the cycles (a least-squares deconvolution with one power per layer) needs it. A policy sees the
// whole run at once, so it may use every sample and every window together. Cost should be
// O(samples + windows) for windows in nearly time order. `attribute` may keep scratch state in the
// object: use one object per thread. It throws layerwatt::error for a signal it cannot use, saying
// why.

#include <concepts>
#include <span>
#include <string_view>

#include "layerwatt/join/layer_window.hpp"
#include "layerwatt/join/power_signal.hpp"

namespace layerwatt::join {

/// A policy of the second form: it is told each window's layer and cycle.
template <typename P>
concept layer_aware_attribution = requires(P& policy, const power_signal& signal,
                                           std::span<const layer_window> windows,
                                           std::span<const entry_index> entries, std::span<double> power_uw) {
  { policy.attribute(signal, windows, entries, power_uw) } -> std::same_as<void>;
};

template <typename P>
concept attribution_policy =
    requires { { P::name } -> std::convertible_to<std::string_view>; } &&
    (layer_aware_attribution<P> ||
     requires(P& policy, const power_signal& signal, std::span<const layer_window> windows,
              std::span<double> power_uw) {
       { policy.attribute(signal, windows, power_uw) } -> std::same_as<void>;
     });

}  // namespace layerwatt::join
