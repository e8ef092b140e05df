// Which columns of a table to show in the width there is. A projector at
// 1280 pixels and UI scale 1.5 leaves a wide table too little room: rather than
// squeezing every column until its text is cut, the least needed ones step
// aside (their values stay a click away, in the panel's details) and the rest
// keep the width their contents need.
#pragma once

#include <vector>

namespace ganvas::gui {

struct TableColumn {
    float min_width = 0;  // pixels the column's contents need
    int drop_rank = 0;    // 0: always shown; 1 is dropped first, then 2, ...
};

// Per column, whether it is shown: columns are dropped in drop_rank order until
// the rest, with `spacing` pixels between neighbours, fit `available`. Columns
// of rank 0 stay even when they alone do not fit.
std::vector<bool> columns_that_fit(const std::vector<TableColumn>& columns, float available,
                                   float spacing);

}  // namespace ganvas::gui
