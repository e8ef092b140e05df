#include "widgets/gallery_pages.h"

#include <algorithm>
#include <cstring>

namespace ganvas::gui {

std::vector<int64_t> label_values(const Tensor& labels) {
    if (!labels.defined() || labels.dtype() != DType::i64) return {};
    const int64_t* p = labels.data_i64();
    return std::vector<int64_t>(p, p + labels.numel());
}

std::vector<int64_t> indices_with_label(const std::vector<int64_t>& labels, int64_t count,
                                        int64_t label) {
    std::vector<int64_t> out;
    const bool keep_all = label == kAllClasses || labels.empty();
    for (int64_t i = 0; i < count; ++i)
        if (keep_all || (i < static_cast<int64_t>(labels.size()) && labels[i] == label))
            out.push_back(i);
    return out;
}

std::vector<int64_t> class_counts(const std::vector<int64_t>& labels, int64_t classes) {
    std::vector<int64_t> counts(static_cast<size_t>(std::max<int64_t>(classes, 0)), 0);
    for (int64_t l : labels)
        if (l >= 0 && l < classes) ++counts[l];
    return counts;
}

int64_t page_count(int64_t items, int64_t per_page) {
    if (per_page <= 0 || items <= 0) return 1;
    return (items + per_page - 1) / per_page;
}

int64_t clamp_page(int64_t page, int64_t items, int64_t per_page) {
    return std::clamp<int64_t>(page, 0, page_count(items, per_page) - 1);
}

PageRange page_range(int64_t page, int64_t items, int64_t per_page) {
    if (per_page <= 0 || items <= 0) return {};
    const int64_t p = clamp_page(page, items, per_page);
    return {p * per_page, std::min(items, (p + 1) * per_page)};
}

int64_t position_of(const std::vector<int64_t>& indices, int64_t index) {
    const auto it = std::lower_bound(indices.begin(), indices.end(), index);
    return it != indices.end() && *it == index ? it - indices.begin() : -1;
}

int64_t grid_slot_at(float x, float y, int64_t cols, int64_t cell_w, int64_t cell_h,
                     int64_t padding, int64_t count) {
    if (x < 0 || y < 0 || cols <= 0 || cell_w <= 0 || cell_h <= 0) return -1;
    const int64_t px = static_cast<int64_t>(x) - padding, py = static_cast<int64_t>(y) - padding;
    if (px < 0 || py < 0) return -1;
    const int64_t col = px / (cell_w + padding), row = py / (cell_h + padding);
    if (px % (cell_w + padding) >= cell_w || py % (cell_h + padding) >= cell_h || col >= cols)
        return -1;
    const int64_t slot = row * cols + col;
    return slot < count ? slot : -1;
}

Tensor gather_page(const Tensor& images, const std::vector<int64_t>& indices, PageRange range,
                   int64_t slots, float fill) {
    const Shape& s = images.shape();  // (N, C, H, W)
    Tensor out = Tensor::full({slots, s[1], s[2], s[3]}, fill);
    const int64_t image_size = s[1] * s[2] * s[3];
    for (int64_t k = 0; k < slots && range.begin + k < range.end; ++k) {
        const int64_t index = indices[range.begin + k];
        std::memcpy(out.data() + k * image_size, images.data() + index * image_size,
                    image_size * sizeof(float));
    }
    return out;
}

}  // namespace ganvas::gui
