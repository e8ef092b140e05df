#include "gui/layout_audit.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "gui/fonts.h"

namespace ganvas::gui {
namespace {

std::string utf8(unsigned c) {
    std::string out;
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
    return out;
}

// A glyph as ImFont::RenderText writes it: four vertices of an axis-aligned
// quad, corners in the order top-left, top-right, bottom-right, bottom-left,
// with the glyph's texture rectangle in the same order.
struct Quad {
    ImVec2 p0, p1;    // screen corners
    ImVec2 uv0, uv1;  // texture corners
};

bool glyph_quad(const ImDrawVert* v, Quad* q) {
    if (v[0].pos.y != v[1].pos.y || v[1].pos.x != v[2].pos.x || v[2].pos.y != v[3].pos.y ||
        v[3].pos.x != v[0].pos.x)
        return false;
    if (v[0].uv.y != v[1].uv.y || v[1].uv.x != v[2].uv.x || v[2].uv.y != v[3].uv.y ||
        v[3].uv.x != v[0].uv.x)
        return false;
    if (!(v[0].pos.x < v[2].pos.x && v[0].pos.y < v[2].pos.y && v[0].uv.x < v[2].uv.x &&
          v[0].uv.y < v[2].uv.y))
        return false;
    *q = {v[0].pos, v[2].pos, v[0].uv, v[2].uv};
    return true;
}

// The glyphs of a font by their texture rectangle: an uncut glyph's quad
// carries exactly its glyph's rectangle; a cut one a part of it.
class GlyphIndex {
public:
    explicit GlyphIndex(const ImFont& font) {
        for (const ImFontGlyph& g : font.Glyphs)
            if (g.Visible) by_corner_[{g.U0, g.V0}] = &g;
    }
    // The glyph the quad shows, whether the quad is all of it, or nullptr.
    const ImFontGlyph* find(const Quad& q, bool* whole) const {
        if (auto it = by_corner_.find({q.uv0.x, q.uv0.y}); it != by_corner_.end()) {
            const ImFontGlyph* g = it->second;
            *whole = g->U1 == q.uv1.x && g->V1 == q.uv1.y;
            return g;
        }
        // Cut on the CPU: some part of a glyph.
        for (const auto& [corner, g] : by_corner_)
            if (q.uv0.x >= g->U0 && q.uv1.x <= g->U1 && q.uv0.y >= g->V0 && q.uv1.y <= g->V1) {
                *whole = false;
                return g;
            }
        return nullptr;
    }

private:
    std::map<std::pair<float, float>, const ImFontGlyph*> by_corner_;
};

struct Glyph {
    float x, y;  // the pen's place: the left end and the top of its line
    float advance;
    unsigned c;
};

// The run of text a glyph belongs to: the glyphs of its draw command on the same
// line, each within a space or two of the next.
std::string line_of(std::vector<Glyph> glyphs, const Glyph& at) {
    std::erase_if(glyphs, [&](const Glyph& g) { return std::fabs(g.y - at.y) > 0.5f; });
    std::sort(glyphs.begin(), glyphs.end(),
              [](const Glyph& a, const Glyph& b) { return a.x < b.x; });
    size_t first = 0, last = 0;
    for (size_t i = 0; i < glyphs.size(); ++i)
        if (glyphs[i].x == at.x) first = last = i;
    const float gap = 3 * at.advance + 8;
    while (first > 0 && glyphs[first].x - (glyphs[first - 1].x + glyphs[first - 1].advance) < gap)
        --first;
    while (last + 1 < glyphs.size() &&
           glyphs[last + 1].x - (glyphs[last].x + glyphs[last].advance) < gap)
        ++last;
    std::string text;
    for (size_t i = first; i <= last && i < glyphs.size(); ++i) {
        if (i > first && glyphs[i].x - (glyphs[i - 1].x + glyphs[i - 1].advance) > 1) text += ' ';
        text += utf8(glyphs[i].c);
    }
    return text;
}

}  // namespace

std::vector<LayoutIssue> audit_text(const ImDrawData& draw_data, const ImFont& font) {
    std::vector<LayoutIssue> issues;
    const GlyphIndex index(font);
    const ImTextureID font_texture = font.ContainerAtlas->TexID;
    // With no replacement character in the font, ImGui falls back to '?', which is
    // also a real character: then only the catalog check finds missing glyphs.
    const bool fallback_is_box = font.FallbackChar != '?' && font.FallbackChar != ' ';
    for (int l = 0; l < draw_data.CmdListsCount; ++l) {
        const ImDrawList* list = draw_data.CmdLists[l];
        const char* window = list->_OwnerName ? list->_OwnerName : "?";
        // A window that scrolls sideways (a wide table in a narrow window) shows part
        // of a line at an edge it can scroll past: cut there, the rest is a scroll away.
        const ImGuiWindow* owner = list->_OwnerName ? ImGui::FindWindowByName(window) : nullptr;
        const bool scrolls_x = owner && owner->ScrollbarX;
        const auto at_view_edge = [&](const Quad& q) {
            if (!scrolls_x) return false;
            const ImRect& view = owner->InnerClipRect;
            const auto across = [&](float x) { return q.p0.x < x + 0.5f && q.p1.x > x - 0.5f; };
            return (owner->Scroll.x > 0 && across(view.Min.x)) ||
                   (owner->Scroll.x < owner->ScrollMax.x && across(view.Max.x));
        };
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback || cmd.TextureId != font_texture || cmd.ElemCount == 0) continue;
            // The vertices the command draws. Only those its indices name: a table's columns
            // write their vertices interleaved, each column's into its own draw command once
            // the channels are merged, so the span from the first to the last index also
            // holds other columns' glyphs, drawn under other clip rectangles.
            unsigned lo = ~0u, hi = 0;
            for (unsigned i = 0; i < cmd.ElemCount; ++i) {
                const unsigned v = list->IdxBuffer[cmd.IdxOffset + i] + cmd.VtxOffset;
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            std::vector<bool> drawn(hi - lo + 1, false);
            for (unsigned i = 0; i < cmd.ElemCount; ++i)
                drawn[list->IdxBuffer[cmd.IdxOffset + i] + cmd.VtxOffset - lo] = true;
            const auto quad_drawn = [&](unsigned v) {
                return drawn[v - lo] && drawn[v + 1 - lo] && drawn[v + 2 - lo] && drawn[v + 3 - lo];
            };
            std::vector<Glyph> glyphs;
            std::vector<std::pair<Glyph, std::string>> found;  // the glyph, what is wrong
            for (unsigned v = lo; v + 3 <= hi;) {
                Quad q;
                bool whole = true;
                const ImFontGlyph* g = quad_drawn(v) && glyph_quad(&list->VtxBuffer[v], &q)
                                           ? index.find(q, &whole)
                                           : nullptr;
                if (!g) {
                    ++v;
                    continue;
                }
                // Where the pen was: a cut glyph lost its left or top, so measure from its right
                // and bottom.
                const float x = whole ? q.p0.x - g->X0 : q.p1.x - g->X1;
                const float y = whole ? q.p0.y - g->Y0 : q.p1.y - g->Y1;
                const Glyph glyph{std::round(x), std::round(y), g->AdvanceX, g->Codepoint};
                glyphs.push_back(glyph);
                const ImVec4& clip = cmd.ClipRect;
                // Cut from above or below only at the clip rectangle's edge is a line
                // scrolled part out of view, not a label too wide for its item.
                const bool cut_across = q.uv0.x != g->U0 || q.uv1.x != g->U1;
                const bool cut_inside = (q.uv0.y != g->V0 && q.p0.y > clip.y + 0.5f) ||
                                        (q.uv1.y != g->V1 && q.p1.y < clip.w - 0.5f);
                // A glyph's ink may reach a pixel or two past its pen position and advance
                // (the bar of a "T" at the left edge): that overhang is the font's, not a cut.
                const bool outside = std::max(q.p0.x, x) < clip.x - 0.5f ||
                                     std::min(q.p1.x, x + g->AdvanceX) > clip.z + 0.5f;
                if (((!whole && (cut_across || cut_inside)) || outside) && !at_view_edge(q))
                    found.emplace_back(glyph, "clipped text");
                else if (fallback_is_box && g == font.FallbackGlyph)
                    found.emplace_back(glyph, "missing glyph");
                v += 4;
            }
            std::set<std::string> said;  // one issue a line
            for (const auto& [glyph, kind] : found) {
                std::string text = line_of(glyphs, glyph);
                if (said.insert(kind + text).second) issues.push_back({kind, window, text});
            }
        }
    }
    return issues;
}

std::vector<LayoutIssue> audit_tab_bars() {
    std::vector<LayoutIssue> issues;
    ImGuiContext& g = *ImGui::GetCurrentContext();
    for (int n = 0; n < g.TabBars.GetMapSize(); ++n) {
        ImGuiTabBar* bar = g.TabBars.TryGetMapData(n);
        if (!bar || bar->CurrFrameVisible != g.FrameCount) continue;  // not drawn this frame
        // ImGui's own test for showing the scroll arrows (imgui_widgets.cpp, TabBarLayout).
        if (bar->Tabs.Size > 1 && bar->WidthAllTabsIdeal > bar->BarRect.GetWidth() + 0.5f) {
            std::string tabs;
            for (const ImGuiTabItem& tab : bar->Tabs)
                tabs += (tabs.empty() ? "" : " | ") + std::string(bar->GetTabName(&tab));
            issues.push_back({"tab bar scrolls", "", tabs});
        }
    }
    return issues;
}

std::vector<LayoutIssue> audit_windows() {
    std::vector<LayoutIssue> issues;
    ImGuiContext& g = *ImGui::GetCurrentContext();
    for (ImGuiWindow* w : g.Windows) {
        if (!w->Active || w->Hidden || (w->Flags & ImGuiWindowFlags_HorizontalScrollbar) ||
            w->ScrollbarX)
            continue;
        // What was laid out reaches past what the window shows: cut at its right edge
        // (text cut between two glyphs leaves no glyph half drawn for audit_text).
        const float overflow = w->DC.CursorMaxPos.x - w->InnerClipRect.Max.x;
        if (overflow > 1)
            issues.push_back({"cut at the window's edge", w->Name,
                              std::to_string(static_cast<int>(overflow)) + " px too wide"});
    }
    return issues;
}

std::vector<std::string> missing_glyphs(const ImFont& font, const std::vector<std::string>& texts) {
    std::set<unsigned> missing;
    for (const std::string& text : texts)
        for (unsigned c : decode_utf8(text))
            if (c >= 0x20 && c <= 0xFFFF &&
                !const_cast<ImFont&>(font).FindGlyphNoFallback(static_cast<ImWchar>(c)))
                missing.insert(c);
    std::vector<std::string> out;
    for (unsigned c : missing) out.push_back(utf8(c));
    return out;
}

}  // namespace ganvas::gui
