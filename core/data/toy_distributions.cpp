#include "data/toy_distributions.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace ganvas {
namespace {

constexpr float kPi = 3.14159265358979f;

ToyDistribution mixture(const std::string& name, int dim, std::vector<Point2> centres, float stddev,
                        std::vector<float> weights = {}) {
    ToyDistribution d;
    d.name = name;
    d.dim = dim;
    d.centres = std::move(centres);
    d.weights = std::move(weights);
    d.stddev = stddev;
    return d;
}

ToyDistribution shape(const std::string& name, float stddev) {
    ToyDistribution d;
    d.name = name;
    d.stddev = stddev;
    return d;
}

// Picks a component index by the mixture weights (equal when none are given).
int64_t pick(const ToyDistribution& d, Rng& rng) {
    const int64_t k = static_cast<int64_t>(d.centres.size());
    if (d.weights.empty()) return rng.randint(k);
    float u = rng.uniform();
    for (int64_t i = 0; i < k; ++i) {
        if (u < d.weights[i]) return i;
        u -= d.weights[i];
    }
    return k - 1;
}

}  // namespace

std::vector<std::string> toy_distribution_names() {
    return {"gauss1d", "bimodal1d", "trimodal1d", "ring8", "grid25",
            "spiral",  "moons",     "line",       "square"};
}

ToyDistribution make_toy_distribution(const std::string& name) {
    // 1-D: a single Gaussian (Goodfellow et al.'s figure 1) and mixtures whose
    // modes a generator may drop.
    if (name == "gauss1d") return mixture(name, 1, {{1.0f, 0}}, 0.5f);
    if (name == "bimodal1d") return mixture(name, 1, {{-1.5f, 0}, {1.5f, 0}}, 0.35f);
    if (name == "trimodal1d")
        return mixture(name, 1, {{-2.0f, 0}, {0.0f, 0}, {2.0f, 0}}, 0.25f, {0.3f, 0.4f, 0.3f});
    if (name == "ring8") {  // the WGAN-GP paper's 8 Gaussians on a circle of radius 2
        std::vector<Point2> c;
        for (int i = 0; i < 8; ++i)
            c.push_back({2.0f * std::cos(2 * kPi * i / 8), 2.0f * std::sin(2 * kPi * i / 8)});
        return mixture(name, 2, c, 0.05f);
    }
    if (name == "grid25") {  // 25 Gaussians on a 5x5 grid, spacing 1
        std::vector<Point2> c;
        for (int i = -2; i <= 2; ++i)
            for (int j = -2; j <= 2; ++j) c.push_back({float(i), float(j)});
        return mixture(name, 2, c, 0.05f);
    }
    if (name == "spiral") return shape(name, 0.04f);
    if (name == "moons") return shape(name, 0.05f);
    if (name == "line") return shape(name, 0.01f);
    if (name == "square") return shape(name, 0.0f);
    std::string known;
    for (auto& n : toy_distribution_names()) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown toy distribution '" + name + "' (known: " + known + ")");
}

ToyDistribution custom_distribution(const std::vector<Point2>& points, float jitter) {
    if (points.empty())
        throw std::invalid_argument("a custom toy distribution needs at least one point");
    if (!(jitter >= 0) || !std::isfinite(jitter))
        throw std::invalid_argument("custom distribution jitter must be >= 0, not " +
                                    std::to_string(jitter));
    for (const Point2& p : points)
        if (!std::isfinite(p[0]) || !std::isfinite(p[1]))
            throw std::invalid_argument("a custom toy distribution point is not finite");
    ToyDistribution d = shape("custom", jitter);
    d.points = points;
    return d;
}

Tensor ToyDistribution::sample(int64_t n, Rng& rng) const {
    Tensor out = Tensor::empty({n, dim});  // (n, dim)
    float* p = out.data();
    for (int64_t i = 0; i < n; ++i) {
        float x = 0, y = 0;
        if (!centres.empty()) {
            const Point2& c = centres[pick(*this, rng)];
            x = c[0] + stddev * rng.normal();
            y = c[1] + stddev * rng.normal();
        } else if (name == "custom") {
            const Point2& c = points[rng.randint(static_cast<int64_t>(points.size()))];
            x = c[0] + stddev * rng.normal();
            y = c[1] + stddev * rng.normal();
        } else if (name == "spiral") {  // r grows with the angle: one and a half turns
            const float t = std::sqrt(rng.uniform());  // even density along the arc
            const float angle = 3 * kPi * t, r = 0.2f + 1.8f * t;
            x = r * std::cos(angle) + stddev * rng.normal();
            y = r * std::sin(angle) + stddev * rng.normal();
        } else if (name == "moons") {  // sklearn's make_moons, centred and scaled by 1.5
            const float a = kPi * rng.uniform();
            const bool upper = rng.uniform() < 0.5f;
            const float mx = upper ? std::cos(a) : 1 - std::cos(a);
            const float my = upper ? std::sin(a) : 0.5f - std::sin(a);
            x = 1.5f * (mx - 0.5f) + stddev * rng.normal();
            y = 1.5f * (my - 0.25f) + stddev * rng.normal();
        } else if (name == "line") {  // a 1-D manifold in the plane
            const float t = rng.uniform(-2.0f, 2.0f);
            x = t + stddev * rng.normal();
            y = 0.5f * t + stddev * rng.normal();
        } else {  // square
            x = rng.uniform(-1.5f, 1.5f);
            y = rng.uniform(-1.5f, 1.5f);
        }
        p[i * dim] = x;
        if (dim == 2) p[i * dim + 1] = y;
    }
    return out;
}

double ToyDistribution::density_1d(double x) const {
    if (dim != 1 || centres.empty()) return 0;
    const double k = static_cast<double>(centres.size());
    double total = 0;
    for (size_t i = 0; i < centres.size(); ++i) {
        const double w = weights.empty() ? 1 / k : weights[i];
        const double z = (x - centres[i][0]) / stddev;
        total += w * std::exp(-0.5 * z * z) / (stddev * std::sqrt(2 * 3.14159265358979));
    }
    return total;
}

std::vector<int> nearest_centres(const ToyDistribution& d, const Tensor& x) {
    const int64_t n = x.size(0), dim = x.size(1);
    std::vector<int> out(static_cast<size_t>(n), -1);
    for (int64_t i = 0; i < n; ++i) {
        double best = std::numeric_limits<double>::infinity();
        for (size_t c = 0; c < d.centres.size(); ++c) {
            double dist = 0;
            for (int64_t k = 0; k < dim; ++k) {
                const double diff = x.data()[i * dim + k] - d.centres[c][k];
                dist += diff * diff;
            }
            if (dist < best) best = dist, out[i] = static_cast<int>(c);
        }
    }
    return out;
}

ModeCoverage mode_coverage(const ToyDistribution& d, const Tensor& x, double min_share,
                           double near_radius) {
    ModeCoverage m;
    m.modes = static_cast<int>(d.centres.size());
    m.counts.assign(d.centres.size(), 0);
    const int64_t n = x.size(0), dim = x.size(1);
    if (m.modes == 0 || n == 0) return m;
    const std::vector<int> nearest = nearest_centres(d, x);
    int64_t near = 0;
    for (int64_t i = 0; i < n; ++i) {
        double dist = 0;
        for (int64_t k = 0; k < dim; ++k) {
            const double diff = x.data()[i * dim + k] - d.centres[nearest[i]][k];
            dist += diff * diff;
        }
        if (std::sqrt(dist) <= near_radius) ++m.counts[nearest[i]], ++near;
    }
    m.near_share = static_cast<double>(near) / static_cast<double>(n);
    const double needed = min_share * static_cast<double>(n) / m.modes;
    for (int c : m.counts) m.covered += c >= needed;
    return m;
}

}  // namespace ganvas
