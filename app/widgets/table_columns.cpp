#include "widgets/table_columns.h"

#include <algorithm>
#include <numeric>

namespace ganvas::gui {

std::vector<bool> columns_that_fit(const std::vector<TableColumn>& columns, float available,
                                   float spacing) {
    std::vector<bool> shown(columns.size(), true);
    const auto needed = [&] {
        float w = 0;
        int n = 0;
        for (size_t c = 0; c < columns.size(); ++c)
            if (shown[c]) w += columns[c].min_width, ++n;
        return w + spacing * static_cast<float>(std::max(n - 1, 0));
    };
    std::vector<size_t> order(columns.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return columns[a].drop_rank < columns[b].drop_rank;
    });
    for (size_t c : order) {
        if (needed() <= available) break;
        if (columns[c].drop_rank > 0) shown[c] = false;
    }
    return shown;
}

}  // namespace ganvas::gui
