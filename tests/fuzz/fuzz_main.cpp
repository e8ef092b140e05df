// libFuzzer's entry point for one harness, chosen at compile time
// (GANVAS_FUZZ_HARNESS="npy", tests/fuzz/CMakeLists.txt).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const ganvas::fuzz::Harness* harness = [] {
        const ganvas::fuzz::Harness* h = ganvas::fuzz::find_harness(GANVAS_FUZZ_HARNESS);
        if (!h) {
            std::fprintf(stderr, "no fuzz harness named %s\n", GANVAS_FUZZ_HARNESS);
            std::abort();
        }
        return h;
    }();
    ganvas::fuzz::run_harness(*harness,
                              std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
