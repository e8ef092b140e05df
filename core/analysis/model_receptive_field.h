// The receptive-field layer list of a live model, read from the model itself:
// a traced forward pass gives every layer in call order with its output shape,
// and each layer module gives its kernel, stride, padding and dilation. New
// models need no table of their own. A layer of an unknown type with a 4-D
// weight is a convolution (kernel from the weight, stride and padding from the
// sizes); others are judged by what they do to the shape (same size:
// element-wise; k times larger: upsampling by k; k times smaller: pooling by k).
// A strided layer whose input is not the layer before (a resnet's shortcut) is
// a branch from the latest map it fits.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/receptive_field.h"
#include "data/batcher.h"
#include "models/model.h"

namespace ganvas::rf {

// One Network per model network, named by its prefix ("G", "D"); layer names are
// module paths inside it ("up1"), so "G" + "." + "up1" is the layer table's row.
// Layers before the first feature map (a generator's fc on z) are left out, and
// the network's input is then the map they are reshaped to (input_note says so).
std::vector<Network> model_networks(Model& model, const Batch& example);

// A model by name ("dcgan28") with fresh weights, traced on a zero image of the
// given size: what `ganvas rf --arch dcgan28` analyses.
std::vector<Network> model_networks(const std::string& model_name, int64_t image_size = 28);

// Each layer's receptive field as the layer table shows it, by row name
// ("G.up1" -> "2|2", "D.c2" -> "10", "D.fc" -> "28 (all)"); the fields are
// measured from each network's input.
std::map<std::string, std::string> layer_field_texts(const std::vector<Network>& nets);

}  // namespace ganvas::rf
