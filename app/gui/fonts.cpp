#include "gui/fonts.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "i18n/tr.h"

namespace ganvas::gui {
namespace {

const char* kDejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

struct CjkFont {
    const char* path;
    int index;  // the face inside a .ttc collection
};
// Noto Sans CJK's collection holds JP, KR, SC, TC, HK in that order: face 2 has
// the Simplified Chinese glyph shapes.
const CjkFont kCjkFonts[] = {{"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2},
                             {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0},
                             {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0}};

// Latin, combining marks (the hat of x̂), Greek (λ, β, θ), punctuation (– … ‖), arrows and
// maths (∇ ≈ √ ≤), shapes.
const ImWchar kBaseRanges[] = {0x0020, 0x00FF, 0x0300, 0x036F, 0x0370, 0x03FF, 0x2000, 0x206F,
                               0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};

bool in_base(unsigned c) {
    for (int i = 0; kBaseRanges[i]; i += 2)
        if (c >= kBaseRanges[i] && c <= kBaseRanges[i + 1]) return true;
    return false;
}

std::set<unsigned>& noted() {
    static std::set<unsigned> glyphs;
    return glyphs;
}
bool pending = false;

}  // namespace

std::vector<unsigned> decode_utf8(std::string_view s) {
    std::vector<unsigned> out;
    for (size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        int extra = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : -1;
        unsigned c = extra == 0 ? b : extra == 1 ? b & 0x1F : extra == 2 ? b & 0x0F : b & 0x07;
        bool ok = extra >= 0 && i + static_cast<size_t>(extra) < s.size();
        for (int k = 1; ok && k <= extra; ++k) {
            const auto t = static_cast<unsigned char>(s[i + k]);
            if ((t & 0xC0) != 0x80) ok = false;
            c = (c << 6) | (t & 0x3F);
        }
        if (!ok || c > 0x10FFFF) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        out.push_back(c);
        i += 1 + extra;
    }
    return out;
}

void note_glyphs(std::string_view utf8) {
    // The common case, plain ASCII, decodes nothing.
    if (std::all_of(utf8.begin(), utf8.end(), [](char b) { return (b & 0x80) == 0; })) return;
    for (unsigned c : decode_utf8(utf8))
        if (!in_base(c) && c <= 0xFFFF && noted().insert(c).second) pending = true;
}

bool font_glyphs_pending() {
    return pending;
}

std::string cjk_font_path() {
    for (const CjkFont& f : kCjkFonts)
        if (std::filesystem::exists(f.path)) return f.path;
    return "";
}

void build_font_atlas(ImFontAtlas& atlas, float pixels, bool chinese) {
    atlas.Clear();
    pending = false;
    ImFontConfig config;
    config.OversampleH = 2;
    if (!std::filesystem::exists(kDejaVuSans) ||
        !atlas.AddFontFromFileTTF(kDejaVuSans, pixels, &config, kBaseRanges)) {
        ImFontConfig fallback;
        fallback.SizePixels = pixels;
        atlas.AddFontDefault(&fallback);
    }
    std::set<unsigned> wanted = noted();
    if (chinese) {
        for (const std::string& text : i18n::chinese_texts())
            for (unsigned c : decode_utf8(text))
                if (!in_base(c) && c <= 0xFFFF) wanted.insert(c);
    }
    // The language menu names Chinese in Chinese in either language.
    for (unsigned c : decode_utf8("简体中文")) wanted.insert(c);
    for (const CjkFont& f : kCjkFonts) {
        if (wanted.empty() || !std::filesystem::exists(f.path)) continue;
        ImFontGlyphRangesBuilder builder;
        for (unsigned c : wanted) builder.AddChar(static_cast<ImWchar>(c));
        static ImVector<ImWchar> ranges;  // the atlas reads them until it is built
        ranges.clear();
        builder.BuildRanges(&ranges);
        ImFontConfig merge;
        merge.MergeMode = true;
        merge.FontNo = f.index;
        merge.OversampleH = 1;  // ideographs are dense: no horizontal oversampling needed
        // At the same pixel size an ideograph is only as tall as a Latin capital
        // (Noto's line box is taller than DejaVu's), too small for its strokes:
        // a fifth larger, on the same baseline (ImGui places merged glyphs on
        // the first font's), it still fits within DejaVu's ascent.
        atlas.AddFontFromFileTTF(f.path, std::round(pixels * 1.2f), &merge, ranges.Data);
        break;
    }
    atlas.Build();
}

}  // namespace ganvas::gui
