// The arithmetic behind the Data tab's paged image grid: which dataset indices
// a class filter keeps, which of them a page shows, class counts, and copying a
// page's images into one batch for make_grid. Pure data; no ImGui, no GL.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas::gui {

constexpr int64_t kAllClasses = -1;

// Labels as plain numbers; empty when `labels` is undefined or not int64 (no labels).
std::vector<int64_t> label_values(const Tensor& labels);

// Dataset indices 0..count-1 whose label is `label`, in order; every index for
// kAllClasses, or when there are no labels (`labels` empty).
std::vector<int64_t> indices_with_label(const std::vector<int64_t>& labels, int64_t count,
                                        int64_t label);

// How many images carry each label 0..classes-1; labels outside that range are not counted.
std::vector<int64_t> class_counts(const std::vector<int64_t>& labels, int64_t classes);

// Pages of `per_page` items: at least one, so an empty list still has a page to show.
int64_t page_count(int64_t items, int64_t per_page);
// `page` moved into 0..pages-1.
int64_t clamp_page(int64_t page, int64_t items, int64_t per_page);
// The positions [begin, end) into the item list that `page` shows.
struct PageRange {
    int64_t begin = 0, end = 0;
};
PageRange page_range(int64_t page, int64_t items, int64_t per_page);

// Where dataset index `index` sits in the sorted list `indices`; -1 if it is not there.
int64_t position_of(const std::vector<int64_t>& indices, int64_t index);

// The slot of a make_grid(images, cols, padding) grid under texture pixel
// (x, y), for cells cell_w x cell_h; -1 on padding, outside, or past `count` slots.
int64_t grid_slot_at(float x, float y, int64_t cols, int64_t cell_w, int64_t cell_h,
                     int64_t padding, int64_t count);

// Images indices[begin..end) of `images` (N, C, H, W) copied into a batch of
// `slots` images (slots, C, H, W); slots past the page are filled with `fill`,
// so every page makes a grid of the same size.
Tensor gather_page(const Tensor& images, const std::vector<int64_t>& indices, PageRange range,
                   int64_t slots, float fill);

}  // namespace ganvas::gui
