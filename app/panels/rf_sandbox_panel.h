// RF Sandbox tab: edit a stack of layers (type, kernel, stride, padding,
// dilation) and watch the receptive-field numbers update, with a 1-D diagram of
// which positions of each row feed which units of the next, overlaps counted.
// The same diagram shows a transposed convolution's uneven overlap (the
// checkerboard) for the upsampling lab.
#pragma once

#include <string>
#include <vector>

#include "analysis/receptive_field.h"
#include "panels/panel.h"

namespace ganvas::gui {

// The rows of the 1-D diagram: for each layer, which positions of the row below
// each of its units reads (its fan-in: how many kernel taps overlap on it, for a
// transposed convolution) and how many units above read each position (the
// windows overlapping there, for a convolution).
// Pure data, tested without ImGui.
struct SandboxRow {
    int64_t length = 0;      // units of this row
    int64_t lo = 0, hi = 0;  // positions drawn: [lo, hi], padding outside [0, length)
    std::vector<std::vector<int64_t>> reads;  // per unit: positions of the row below it reads
    std::vector<int64_t> fan_out;             // per drawn position [lo, hi]: units above reading it
};
// Row 0 is the input; row i + 1 is layer i's output. Throws std::invalid_argument
// like rf::compute for impossible stacks.
std::vector<SandboxRow> sandbox_rows(const std::vector<rf::Layer>& layers, int64_t input_length);

// "conv 3 1 1 1;maxpool 2 2 0 1": kind kernel stride padding dilation, for settings.
std::string encode_layers(const std::vector<rf::Layer>& layers);
std::vector<rf::Layer> decode_layers(const std::string& text);  // empty on any error

// "L1", "L2", ...: the sandbox's name for its layer `number` (1-based).
std::string layer_label(size_t number);

class RfSandboxPanel : public Panel {
public:
    const char* title() const override { return "RF Sandbox"; }
    void draw(PanelContext& ctx) override;

private:
    void draw_editor(PanelContext& ctx);
    void draw_diagram(PanelContext& ctx);
    void save(PanelContext& ctx);

    bool loaded_ = false;
    std::vector<rf::Layer> layers_;
    int input_length_ = 16;
    std::vector<rf::LayerField> fields_;
    std::vector<SandboxRow> rows_;
    std::string error_;
    int hovered_row_ = -1;
    int64_t hovered_unit_ = 0;
    int pinned_row_ = -1;
    int64_t pinned_unit_ = 0;
};

}  // namespace ganvas::gui
