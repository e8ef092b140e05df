#include "analysis/perceptron.h"

#include <cmath>
#include <stdexcept>

#include "tensor/rng.h"

namespace ganvas {

bool misclassified(const Perceptron& p, const LabelledPoint& q) {
    return static_cast<float>(q.label) * p.score(q.x, q.y) <= 0;
}

double accuracy(const Perceptron& p, const std::vector<LabelledPoint>& points) {
    if (points.empty()) return 1.0;
    int right = 0;
    for (const auto& q : points) right += !misclassified(p, q);
    return static_cast<double>(right) / static_cast<double>(points.size());
}

int perceptron_step(Perceptron& p, const std::vector<LabelledPoint>& points, int start, float lr) {
    const int n = static_cast<int>(points.size());
    for (int k = 0; k < n; ++k) {
        const int i = ((start % n) + n + k) % n;
        const LabelledPoint& q = points[i];
        if (!misclassified(p, q)) continue;
        p.w1 += lr * q.label * q.x;
        p.w2 += lr * q.label * q.y;
        if (p.use_bias) p.b += lr * q.label;
        return i;
    }
    return -1;
}

OriginLine best_origin_line(const std::vector<LabelledPoint>& points) {
    // The error count only changes where the boundary passes a point, so it is
    // enough to try normals just to either side of each point's perpendicular.
    std::vector<float> angles = {0.0f};
    const float eps = 1e-4f, half_pi = 1.5707963f;
    for (const auto& q : points) {
        const float a = std::atan2(q.y, q.x);
        for (float s : {-1.0f, 1.0f})
            for (float d : {-eps, eps}) angles.push_back(a + s * half_pi + d);
    }
    OriginLine best;
    size_t fewest = points.size() + 1;
    for (float a : angles) {
        Perceptron p{std::cos(a), std::sin(a), 0, false};
        std::vector<int> wrong;
        for (size_t i = 0; i < points.size(); ++i)
            if (misclassified(p, points[i])) wrong.push_back(static_cast<int>(i));
        if (wrong.size() < fewest) {
            fewest = wrong.size();
            best = {p.w1, p.w2, wrong};
        }
    }
    return best;
}

std::vector<std::string> perceptron_point_sets() {
    return {"needs_bias", "origin", "xor"};
}

std::vector<LabelledPoint> perceptron_points(const std::string& name) {
    Rng rng(42);
    std::vector<LabelledPoint> out;
    auto cluster = [&](float cx, float cy, float spread, int label, int n) {
        for (int i = 0; i < n; ++i)
            out.push_back({cx + spread * rng.normal(), cy + spread * rng.normal(), label});
    };
    if (name == "needs_bias") {  // both clusters up and to the right of the origin,
        // along the diagonal, so the gap between them runs along x + y = 3.4 and
        // every line through the origin cuts one of them.
        cluster(2.0f, 2.0f, 0.25f, 1, 12);
        cluster(0.9f, 0.9f, 0.25f, -1, 12);
    } else if (name == "origin") {
        cluster(-1.2f, 1.2f, 0.35f, 1, 12);
        cluster(1.2f, -1.0f, 0.35f, -1, 12);
    } else if (name == "xor") {
        cluster(1.2f, 1.2f, 0.25f, 1, 6);
        cluster(-1.2f, -1.2f, 0.25f, 1, 6);
        cluster(-1.2f, 1.2f, 0.25f, -1, 6);
        cluster(1.2f, -1.2f, 0.25f, -1, 6);
    } else {
        throw std::invalid_argument("unknown perceptron point set '" + name +
                                    "' (known: needs_bias, origin, xor)");
    }
    return out;
}

}  // namespace ganvas
