// SnapshotExchange: one writer publishes immutable snapshots, any number of
// readers take the newest. The lock guards only a pointer copy, so a reader
// never waits for the writer's work, and a snapshot once published never
// changes: readers cannot see half of an update.
#pragma once

#include <memory>
#include <mutex>

namespace ganvas {

template <class T>
class SnapshotExchange {
public:
    void publish(std::shared_ptr<const T> snapshot) {
        std::lock_guard<std::mutex> lock(mutex_);
        latest_.swap(snapshot);
        // The old snapshot (now in `snapshot`) is released after the lock, so a
        // reader's destructor work never happens while the writer holds it.
    }
    std::shared_ptr<const T> latest() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return latest_;
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const T> latest_;
};

}  // namespace ganvas
