#include "layerwatt/train/network_model_dir.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "layerwatt/predict/model_set.hpp"
#include "support/temp_dir.hpp"
#include "support/training_fixture.hpp"

namespace lw = layerwatt;
namespace train = layerwatt::train;
using lw::testing::temp_dir;
using lw::testing::write_text;

namespace network_model_dir_test {

TEST(NetworkModelDir, TheConstantsReadBackAndTheirMistakesNameTheJsonPath) {
  temp_dir dir;
  EXPECT_FALSE(train::read_network_constants(dir.path()));  // a per-layer directory
  train::network_constants written{0.41, 1.9, "above_idle", 2.5, 9.75};
  written.models[static_cast<std::size_t>(lw::layer_kind::convolutional)] = {true, true};
  written.models[static_cast<std::size_t>(lw::layer_kind::dense)] = {true, false};
  train::write_network_constants(dir.path(), written);
  const auto c = train::read_network_constants(dir.path());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime_ms, 0.41);
  EXPECT_EQ(c->energy_mj, 1.9);
  EXPECT_EQ(c->energy, "above_idle");
  EXPECT_EQ(c->static_power_w, 2.5);
  EXPECT_EQ(c->max_measured_power_w, 9.75);
  for (const auto kind : lw::all_layer_kinds) {
    const auto &read = c->models[static_cast<std::size_t>(kind)], &wrote = written.models[static_cast<std::size_t>(kind)];
    EXPECT_EQ(read.runtime, wrote.runtime) << to_string(kind);
    EXPECT_EQ(read.energy, wrote.energy) << to_string(kind);
  }
  train::write_network_constants(dir.path(), {0.41, 1.9, "total", train::max_static_power_w});
  EXPECT_EQ(train::read_network_constants(dir.path()).value().static_power_w, 1000);

  const auto expect = [&](std::string_view text, std::string_view path, std::string_view expected) {
    write_text(dir / "network.json", text);
    EXPECT_ERROR_MENTIONS(train::read_network_constants(dir.path()), std::string_view("network.json"), path, expected);
  };
  expect(R"({"form": "layers", "version": 2, "runtime_constant_ms": 0})", "/form", "\"network\"");
  expect(R"({"form": "network", "version": 1, "runtime_constant_ms": 0, "static_power_w": 0})", "/version",
         "train the models again");
  expect(R"({"form": "network", "version": 2, "runtime_constant_ms": 0, "static_power_w": 0})", "/version",
         "train the models again");
  expect(R"({"form": "network", "version": 3, "runtime_constant_ms": 0, "static_power_w": 0})", "/version",
         "train the models again");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": -1})", "/runtime_constant_ms", "at least 0");
  expect(R"({"form": "network", "version": 4})", "at /:", "runtime_constant_ms");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "static_power_w": -2})", "/static_power_w",
         "from 0 to 1000 W");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "static_power_w": 1000.5})", "/static_power_w",
         "from 0 to 1000 W");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "energy_constant_mj": -0.5,
             "static_power_w": 0})", "/energy_constant_mj", "at least 0");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0})", "at /:", "static_power_w");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "energy_constant_mj": 1, "static_power_w": 0,
             "energy": "some"})",
         "/energy", "above_idle");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "energy_constant_mj": 1, "static_power_w": 0})",
         "at /:", "\"energy\"");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "energy_constant_mj": null,
             "static_power_w": 0, "energy": "total"})",
         "/energy", "no energy was fitted");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "static_power_w": 0,
             "max_measured_power_w": 5})",
         "/max_measured_power_w", "no energy was fitted");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "energy_constant_mj": 1, "static_power_w": 0,
             "energy": "total", "max_measured_power_w": 0})",
         "/max_measured_power_w", "a power above 0 and at most 1000 W");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "energy_constant_mj": 1, "static_power_w": 0,
             "energy": "total", "max_measured_power_w": 1500})",
         "/max_measured_power_w", "a power above 0 and at most 1000 W");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "energy_constant_mj": 1, "static_power_w": 0,
             "energy": "total", "max_measured_power_w": "9 W"})",
         "/max_measured_power_w", "a number");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "energy_constant_mj": 1, "static_power_w": 0,
             "energy": null})",
         "at /energy:", "energy_constant_mj is not null");
  const auto with_models = [](std::string_view models, std::string_view energy_constant = "1") {
    return fmt::format(R"({{"form": "network", "version": 4, "runtime_constant_ms": 0, "energy_constant_mj": {},
                           "static_power_w": 0, "energy": {}, "models": {}}})",
                       energy_constant, energy_constant == "null" ? "null" : "\"total\"", models);
  };
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "static_power_w": 0})", "at /:", "\"models\"");
  expect(with_models(R"({"conv": ["runtime"]})"), "at /models/conv:", "a known key");
  expect(with_models(R"({"dense": []})"), "at /models/dense:", "a kind without models is not listed");
  expect(with_models(R"({"dense": ["runtime", "power"]})"), "at /models/dense/1:", "\"runtime\" or \"energy\"");
  expect(with_models(R"({"dense": ["runtime", "runtime"]})"), "at /models/dense/1:", "\"runtime\" once");
  expect(with_models(R"({"dense": ["energy"]})"), "at /models/dense:", "\"runtime\" beside \"energy\"");
  expect(with_models(R"({"dense": ["runtime", "energy"]})", "null"), "at /models/dense:", "energy_constant_mj is null");
  expect(R"({"form": "network", "version": 4, "runtime_constant_ms": 0, "extra": 1})", "/extra", "a known key");
}

// A per-layer power model in a network-level directory (or an energy model in a per-layer one)
// would be read as the wrong form: an error naming the file.
TEST(NetworkModelDir, ADirectoryOfOneFormHoldsNoModelOfTheOther) {
  temp_dir dir;
  lw::testing::write_model_dir(dir / "models");  // per-layer: power and runtime
  train::write_network_constants(dir / "models", {0.1, std::nullopt, std::nullopt});
  EXPECT_ERROR_MENTIONS(lw::predict::load_model_set(dir / "models"), "power.json", "network-level model directory");
  std::filesystem::remove(dir / "models" / "network.json");
  write_text(dir / "models" / "dense" / "energy.json", "{}");
  EXPECT_ERROR_MENTIONS(lw::predict::load_model_set(dir / "models"), "dense/energy.json", "per-layer model directory");
}

}  // namespace network_model_dir_test
