// ganvas: the command-line entry point. Subcommands live in app/cli/.
#include <cstdio>

int main(int argc, char** argv) {
    std::fprintf(stderr, "ganvas: not built yet\n");
    return 1;
}
