#include "analysis/receptive_field_file.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "io/printable.h"
#include "io/regular_file.h"

namespace ganvas::rf {
namespace {

using json = nlohmann::ordered_json;  // keys in the order written: name first

// A number or an [h, w] pair of whole numbers.
Pair read_pair(const json& v, const std::string& where, const char* key) {
    auto whole = [&](const json& x) {
        if (!x.is_number_integer())
            throw std::runtime_error(where + ": \"" + key +
                                     "\" must be a whole number or [h, w], not " +
                                     printable(x.dump()));
        return x.get<int64_t>();
    };
    if (v.is_array()) {
        if (v.size() != 2)
            throw std::runtime_error(where + ": \"" + key + "\" as a list must be [h, w], not " +
                                     printable(v.dump()));
        return {whole(v[0]), whole(v[1])};
    }
    const int64_t n = whole(v);
    return {n, n};
}

json pair_json(int64_t h, int64_t w) {
    return h == w ? json(h) : json::array({h, w});
}
// Strides are whole numbers except after upsampling (1/2, 1/4).
json stride_json(double s) {
    return s == static_cast<double>(static_cast<int64_t>(s)) ? json(static_cast<int64_t>(s))
                                                             : json(s);
}
json pair_json(double h, double w) {
    return h == w ? stride_json(h) : json::array({stride_json(h), stride_json(w)});
}
json pair_json(const json& h, const json& w) {
    return h == w ? h : json::array({h, w});
}

std::string pair_text(int64_t h, int64_t w) {
    return h == w ? std::to_string(h) : std::to_string(h) + "x" + std::to_string(w);
}

std::string axis_stride(const AxisField& a) {
    const int64_t g = std::gcd(a.shift, a.period);  // 2/4 reads 1/2
    if (a.shift % a.period == 0) return std::to_string(a.shift / a.period);
    return std::to_string(a.shift / g) + "/" + std::to_string(a.period / g);
}

std::string axis_field(const AxisField& a, std::optional<int64_t> input) {
    if (a.global) return input ? std::to_string(*input) + " (all)" : "all";
    if (a.period == 1) return std::to_string(a.size());
    std::string s;
    for (int64_t p = 0; p < a.period; ++p) {
        if (p) s += '|';
        s += std::to_string(std::max<int64_t>(a.phase_size(p), 0));
    }
    return s;
}

}  // namespace

Network parse_network(const std::string& text, const std::string& source) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        throw std::runtime_error(source + " is not valid JSON: " + e.what());
    }
    if (!doc.is_object() || !doc.contains("layers") || !doc["layers"].is_array())
        throw std::runtime_error(source + " must hold an object with a \"layers\" list");
    Network net;
    net.name = source;
    if (doc.contains("input_size"))
        net.input_size = read_pair(doc["input_size"], source, "input_size");
    const json& layers = doc["layers"];
    if (layers.empty()) throw std::runtime_error(source + ": \"layers\" is empty");
    for (size_t i = 0; i < layers.size(); ++i) {
        const json& j = layers[i];
        const std::string where = source + ", layer " + std::to_string(i);
        if (!j.is_object()) throw std::runtime_error(where + " is not an object");
        Layer l;
        l.name = j.contains("name") && j["name"].is_string() ? j["name"].get<std::string>()
                                                             : "layer" + std::to_string(i);
        const std::string at = where + " ('" + printable(l.name) + "')";
        if (!j.contains("type") || !j["type"].is_string())
            throw std::runtime_error(at + " needs a \"type\"");
        try {
            l.kind = kind_from_name(j["type"].get<std::string>());
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(at + ": " + one_line(e.what()));
        }
        for (auto& [key, value] : j.items()) {
            if (key == "name" || key == "type") continue;
            if (key == "kernel")
                l.kernel = read_pair(value, at, "kernel");
            else if (key == "stride")
                l.stride = read_pair(value, at, "stride");
            else if (key == "padding")
                l.padding = read_pair(value, at, "padding");
            else if (key == "dilation")
                l.dilation = read_pair(value, at, "dilation");
            else if (key == "output_padding")
                l.output_padding = read_pair(value, at, "output_padding");
            else if (key == "scale")
                l.scale = read_pair(value, at, "scale");
            else if (key == "inputs") {
                if (!value.is_array())
                    throw std::runtime_error(at + ": \"inputs\" must be a list of names");
                for (auto& n : value) {
                    if (!n.is_string())
                        throw std::runtime_error(at + ": \"inputs\" must be a list of names");
                    l.inputs.push_back(n.get<std::string>());
                }
            } else {
                throw std::runtime_error(at + " has an unknown key \"" + printable(key) + "\"");
            }
        }
        // Pooling strides by its window unless told otherwise, as PyTorch.
        if ((l.kind == Kind::maxpool || l.kind == Kind::avgpool) && !j.contains("stride"))
            l.stride = l.kernel;
        net.layers.push_back(l);
    }
    try {
        compute(net);  // the layer checks, named by the file
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(source + ": " + one_line(e.what()));  // may quote layer names
    }
    return net;
}

Network load_network(const std::string& path) {
    if (const std::string why = why_not_readable(path); !why.empty())
        throw std::runtime_error("cannot read " + path + ": " + why);
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_network(ss.str(), path);
}

std::string field_text(const LayerField& f, std::optional<Pair> input) {
    std::string h =
        axis_field(f.axis[0], input ? std::optional<int64_t>((*input)[0]) : std::nullopt);
    std::string w =
        axis_field(f.axis[1], input ? std::optional<int64_t>((*input)[1]) : std::nullopt);
    return h == w ? h : h + " x " + w;
}

std::string stride_text(const LayerField& f) {
    if (f.axis[0].global) return "-";
    std::string h = axis_stride(f.axis[0]), w = axis_stride(f.axis[1]);
    return h == w ? h : h + "x" + w;
}

std::string padding_text(const LayerField& f) {
    if (f.axis[0].global) return "-";
    return pair_text(f.axis[0].padding(), f.axis[1].padding());
}

std::string fields_json(const std::vector<NamedFields>& nets) {
    json layers = json::array();
    for (auto& [prefix, input, fields] : nets) {
        for (const LayerField& f : fields) {
            json j;
            j["name"] = prefix + f.layer.name;
            j["type"] = kind_name(f.layer.kind);
            const AxisField &h = f.axis[0], &w = f.axis[1];
            if (h.global || w.global) {
                // The whole input: its size when known.
                j["receptive_field"] = input ? pair_json((*input)[0], (*input)[1]) : json("all");
                j["effective_stride"] = nullptr;
                j["effective_padding"] = nullptr;
            } else {
                j["receptive_field"] = pair_json(h.size(), w.size());
                j["effective_stride"] = pair_json(h.stride(), w.stride());
                j["effective_padding"] = pair_json(h.padding(), w.padding());
                j["first_unit_field"] =
                    pair_json(json::array({h.lo[0], h.hi[0]}), json::array({w.lo[0], w.hi[0]}));
                if (h.period > 1 || w.period > 1) {
                    auto phases = [](const AxisField& a) {
                        json p = json::array();
                        for (int64_t i = 0; i < a.period; ++i)
                            p.push_back({{"receptive_field", std::max<int64_t>(a.phase_size(i), 0)},
                                         {"first_unit_field", json::array({a.lo[i], a.hi[i]})}});
                        return p;
                    };
                    j["phases"] = pair_json(phases(h), phases(w));
                }
            }
            if (f.output_size)
                j["output_size"] = pair_json((*f.output_size)[0], (*f.output_size)[1]);
            layers.push_back(j);
        }
    }
    return json{{"layers", layers}}.dump(2);
}

std::string fields_table(const Network& net, const std::vector<LayerField>& fields) {
    std::ostringstream out;
    char line[512];
    std::snprintf(line, sizeof line, "%-18s %-11s %-9s %-16s %-7s %-8s %s\n", "layer", "type",
                  "output", "field", "stride", "padding", "first unit sees");
    out << line;
    for (const LayerField& f : fields) {
        std::string size = f.output_size ? pair_text((*f.output_size)[0], (*f.output_size)[1]) : "";
        if (f.output_size && (*f.output_size)[0] != (*f.output_size)[1])
            size = std::to_string((*f.output_size)[0]) + "x" + std::to_string((*f.output_size)[1]);
        else if (f.output_size)
            size = std::to_string((*f.output_size)[0]) + "x" + std::to_string((*f.output_size)[0]);
        std::string first = "-";
        if (!f.axis[0].global) {
            const AxisField &h = f.axis[0], &w = f.axis[1];
            first = "rows " + std::to_string(h.lo[0]) + ".." + std::to_string(h.hi[0]) + ", cols " +
                    std::to_string(w.lo[0]) + ".." + std::to_string(w.hi[0]);
        }
        std::snprintf(line, sizeof line, "%-18s %-11s %-9s %-16s %-7s %-8s %s\n",
                      f.layer.name.c_str(), kind_name(f.layer.kind).c_str(), size.c_str(),
                      field_text(f, net.input_size).c_str(), stride_text(f).c_str(),
                      padding_text(f).c_str(), first.c_str());
        out << line;
    }
    return out.str();
}

}  // namespace ganvas::rf
