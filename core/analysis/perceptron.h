// The perceptron (Rosenblatt 1958) on labelled 2-D points, for the Perceptron
// panel: predict sign(w . x + b), learn by the perceptron rule, and see what a
// boundary pinned to the origin (no bias) can and cannot separate.
//
// The panel shows the bias as a threshold T: w . x >= T  <=>  w . x + b >= 0
// with b = -T.
#pragma once

#include <string>
#include <vector>

namespace ganvas {

struct LabelledPoint {
    float x = 0, y = 0;
    int label = 1;  // +1 or -1
};

struct Perceptron {
    float w1 = 0, w2 = 0;
    float b = 0;           // = -threshold
    bool use_bias = true;  // false: b is held at 0, the boundary goes through the origin

    float score(float x, float y) const { return w1 * x + w2 * y + (use_bias ? b : 0.0f); }
    int predict(float x, float y) const { return score(x, y) > 0 ? 1 : -1; }
};

// A point is misclassified when label * score <= 0 (on the boundary counts as wrong,
// so the rule keeps moving until every point is strictly on its side).
bool misclassified(const Perceptron& p, const LabelledPoint& q);
double accuracy(const Perceptron& p, const std::vector<LabelledPoint>& points);

// The perceptron rule: the first misclassified point at or after `start`
// (cyclically) updates w += lr * label * x and, with a bias, b += lr * label.
// Returns its index, or -1 when every point is classified correctly (converged).
int perceptron_step(Perceptron& p, const std::vector<LabelledPoint>& points, int start,
                    float lr = 1.0f);

// The best a line through the origin can do: a normal (w1, w2) of unit length
// with the fewest misclassified points, and which points those are.
struct OriginLine {
    float w1 = 1, w2 = 0;
    std::vector<int> wrong;  // indices misclassified even by the best origin line
};
OriginLine best_origin_line(const std::vector<LabelledPoint>& points);

// "origin" (separable through the origin), "needs_bias" (both classes on the same
// side of the origin: only a boundary with a bias separates them), "xor" (no line
// separates them). Deterministic. Throws std::invalid_argument for other names.
std::vector<LabelledPoint> perceptron_points(const std::string& name);
std::vector<std::string> perceptron_point_sets();

}  // namespace ganvas
