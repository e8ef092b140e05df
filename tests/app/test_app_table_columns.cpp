#include <gtest/gtest.h>

#include "widgets/table_columns.h"

using ganvas::gui::columns_that_fit;
using ganvas::gui::TableColumn;

namespace {

const std::vector<TableColumn> kColumns = {
    {100, 0},  // name: always
    {80, 2},   // dropped second
    {60, 1},   // dropped first
    {50, 3},   // dropped last
};

}  // namespace

TEST(TableColumns, AllShowWhenTheyFit) {
    // 290 px of columns and three gaps of 10.
    EXPECT_EQ(columns_that_fit(kColumns, 320, 10), (std::vector<bool>{true, true, true, true}));
}

TEST(TableColumns, DropsInRankOrderUntilTheRestFit) {
    EXPECT_EQ(columns_that_fit(kColumns, 319, 10), (std::vector<bool>{true, true, false, true}));
    // Without the 60 px column: 230 + 20.
    EXPECT_EQ(columns_that_fit(kColumns, 250, 10), (std::vector<bool>{true, true, false, true}));
    EXPECT_EQ(columns_that_fit(kColumns, 249, 10), (std::vector<bool>{true, false, false, true}));
    EXPECT_EQ(columns_that_fit(kColumns, 159, 10), (std::vector<bool>{true, false, false, false}));
}

TEST(TableColumns, KeepsTheColumnsThatMustStayEvenWhenNothingFits) {
    EXPECT_EQ(columns_that_fit(kColumns, 10, 10), (std::vector<bool>{true, false, false, false}));
    EXPECT_EQ(columns_that_fit({}, 10, 10), std::vector<bool>{});
}

TEST(TableColumns, EqualRanksDropFromTheLeft) {
    const std::vector<TableColumn> same = {{50, 1}, {50, 1}, {50, 1}};
    EXPECT_EQ(columns_that_fit(same, 100, 0), (std::vector<bool>{false, true, true}));
}
