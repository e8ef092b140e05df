// The sandbox's data: rows of the 1-D diagram and the settings encoding.
#include <algorithm>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "i18n/tr.h"
#include "panels/rf_sandbox_panel.h"

namespace ganvas::gui {
namespace {

// Positions of the row below that output `u` of layer `l` reads, along the height axis.
std::vector<int64_t> positions_read(const rf::Layer& l, int64_t u, int64_t below) {
    std::vector<int64_t> out;
    const int64_t k = l.kernel[0], s = l.stride[0], p = l.padding[0];
    const int64_t d = l.kind == rf::Kind::conv || l.kind == rf::Kind::deconv ? l.dilation[0] : 1;
    switch (l.kind) {
        case rf::Kind::conv:
        case rf::Kind::maxpool:
        case rf::Kind::avgpool:
            for (int64_t t = 0; t < k; ++t) out.push_back(u * s - p + t * d);
            break;
        case rf::Kind::deconv:
            // Output u = i * s - p + t * d: only real inputs exist (the padding crops the output).
            for (int64_t t = 0; t < k; ++t) {
                const int64_t num = u + p - t * d;
                if (num % s == 0 && num / s >= 0 && num / s < below) out.push_back(num / s);
            }
            std::sort(out.begin(), out.end());
            break;
        case rf::Kind::upsample:
        case rf::Kind::bilinear:
        case rf::Kind::bicubic:
            // PyTorch clamps the taps into the input: the edge pixel is read instead.
            for (int64_t i : rf::upsample_taps(l.kind, l.scale[0], u)) {
                i = std::clamp<int64_t>(i, 0, below - 1);
                if (out.empty() || out.back() != i) out.push_back(i);
            }
            break;
        case rf::Kind::dense:
            for (int64_t i = 0; i < below; ++i) out.push_back(i);
            break;
        default:
            out.push_back(u);
            break;
    }
    return out;
}

}  // namespace

std::vector<SandboxRow> sandbox_rows(const std::vector<rf::Layer>& layers, int64_t input_length) {
    if (input_length < 1 || input_length > 256)
        throw std::invalid_argument(tr("the input length must be between 1 and 256"));
    std::vector<SandboxRow> rows(1);
    rows[0].length = input_length;
    rows[0].hi = input_length - 1;
    for (const rf::Layer& l : layers) {
        SandboxRow& below = rows.back();
        SandboxRow row;
        row.length = rf::output_length(l, 0, below.length);
        if (row.length > 1024) {
            char message[160];
            std::snprintf(message, sizeof message, tr("layer '%s' makes more than 1024 units"),
                          l.name.c_str());
            throw std::invalid_argument(message);
        }
        row.hi = row.length - 1;
        for (int64_t u = 0; u < row.length; ++u) {
            row.reads.push_back(positions_read(l, u, below.length));
            for (int64_t i : row.reads.back())
                below.lo = std::min(below.lo, i), below.hi = std::max(below.hi, i);
        }
        rows.push_back(std::move(row));
    }
    for (size_t r = 0; r + 1 < rows.size(); ++r) {
        SandboxRow& below = rows[r];
        below.fan_out.assign(static_cast<size_t>(below.hi - below.lo + 1), 0);
        for (auto& reads : rows[r + 1].reads)
            for (int64_t i : reads) ++below.fan_out[static_cast<size_t>(i - below.lo)];
    }
    return rows;
}

std::string layer_label(size_t number) {
    // Built by appending: GCC 12 warns falsely (-Wrestrict) on "L" + std::to_string(n).
    std::string label = "L";
    label += std::to_string(number);
    return label;
}

std::string encode_layers(const std::vector<rf::Layer>& layers) {
    std::ostringstream out;
    for (size_t i = 0; i < layers.size(); ++i) {
        const rf::Layer& l = layers[i];
        out << (i ? ";" : "") << rf::kind_name(l.kind) << " " << l.kernel[0] << " " << l.stride[0]
            << " " << l.padding[0] << " "
            << (rf::is_upsampling(l.kind) ? l.scale[0] : l.dilation[0]);
    }
    return out.str();
}

std::vector<rf::Layer> decode_layers(const std::string& text) {
    std::vector<rf::Layer> layers;
    std::stringstream all(text);
    std::string item;
    try {
        while (std::getline(all, item, ';')) {
            std::istringstream in(item);
            std::string kind;
            int64_t k, s, p, d;
            if (!(in >> kind >> k >> s >> p >> d)) return {};
            rf::Layer l;
            l.kind = rf::kind_from_name(kind);
            if (l.kind == rf::Kind::add || l.kind == rf::Kind::concat) return {};
            l.name = layer_label(layers.size() + 1);
            l.kernel = {k, k};
            l.stride = {s, s};
            l.padding = {p, p};
            if (rf::is_upsampling(l.kind))
                l.scale = {d, d};
            else
                l.dilation = {d, d};
            layers.push_back(l);
        }
    } catch (const std::exception&) {
        return {};
    }
    return layers;
}

}  // namespace ganvas::gui
