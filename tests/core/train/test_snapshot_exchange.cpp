// The window reads training snapshots while the training thread writes them:
// a reader must never see a half-written one, and versions never go backwards.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "train/snapshot_exchange.h"

namespace ganvas {
namespace {

struct Payload {
    int version;
    std::vector<int> values;  // every entry equals version
};

TEST(SnapshotExchange, ReaderSeesWholeSnapshotsInOrderUnderAConcurrentWriter) {
    SnapshotExchange<Payload> exchange;
    exchange.publish(std::make_shared<Payload>(Payload{0, std::vector<int>(4096, 0)}));
    std::atomic<bool> done{false}, reading{false};
    constexpr int kVersions = 20000;
    std::thread writer([&] {
        // Publishing starts once the reader reads: on a loaded machine the writer could
        // otherwise finish before the reader ever runs, and nothing would be concurrent.
        while (!reading) std::this_thread::yield();
        for (int v = 1; v <= kVersions; ++v)
            exchange.publish(std::make_shared<Payload>(Payload{v, std::vector<int>(4096, v)}));
        done = true;
    });
    int last = 0, reads = 0, torn = 0, backwards = 0;
    while (!done || last < kVersions) {
        auto s = exchange.latest();
        ++reads;
        reading = true;
        for (int x : s->values) torn += x != s->version;
        backwards += s->version < last;
        last = s->version;
    }
    writer.join();
    EXPECT_EQ(torn, 0);
    EXPECT_EQ(backwards, 0);
    EXPECT_EQ(last, kVersions);
    EXPECT_GT(reads, 1);
}

TEST(SnapshotExchange, AHeldSnapshotOutlivesNewerPublications) {
    SnapshotExchange<Payload> exchange;
    exchange.publish(std::make_shared<Payload>(Payload{1, {1, 1}}));
    auto held = exchange.latest();
    exchange.publish(std::make_shared<Payload>(Payload{2, {2, 2}}));
    EXPECT_EQ(held->version, 1);
    EXPECT_EQ(held->values, (std::vector<int>{1, 1}));
    EXPECT_EQ(exchange.latest()->version, 2);
}

TEST(SnapshotExchange, EmptyUntilTheFirstPublish) {
    SnapshotExchange<Payload> exchange;
    EXPECT_EQ(exchange.latest(), nullptr);
}

}  // namespace
}  // namespace ganvas
