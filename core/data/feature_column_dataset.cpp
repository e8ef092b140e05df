#include "data/feature_column_dataset.h"

#include <stdexcept>

#include "data/feature_column_transform.h"
#include "data/feature_columns.h"
#include "data/tfrecord.h"
#include "io/printable.h"

namespace ganvas {
namespace {

const char* kNeeds =
    "an image model takes one image (a numeric_column of shape [H, W] or an image_column) "
    "and at most one label (a categorical column with one id per record, or its "
    "indicator_column)";

[[noreturn]] void refuse(const ColumnFile& file, const ColumnSpec& c, const std::string& problem) {
    throw std::runtime_error(file.path + ": column '" + printable(column_name(c)) + "' (" +
                             column_kind_name(c.kind) + "): " + problem);
}

bool image_shaped(const ColumnSpec& c) {
    return c.kind == ColumnKind::image ||
           (c.kind == ColumnKind::numeric &&
            (c.shape.size() == 2 || (c.shape.size() == 3 && c.shape[0] == 1)));
}

bool label_like(const ColumnSpec& c) {
    const ColumnSpec& inner = c.kind == ColumnKind::indicator ? c.children[0] : c;
    return inner.kind == ColumnKind::identity || inner.kind == ColumnKind::vocabulary_list ||
           inner.kind == ColumnKind::vocabulary_file || inner.kind == ColumnKind::hash_bucket;
}

std::vector<std::string> class_names_of(const ColumnSpec& label) {
    const bool words =
        label.kind == ColumnKind::vocabulary_list || label.kind == ColumnKind::vocabulary_file;
    std::vector<std::string> names = words ? label.vocabulary : std::vector<std::string>{};
    const size_t words_count = names.size();
    for (auto i = static_cast<int64_t>(names.size()); i < column_num_buckets(label); ++i)
        names.push_back(words ? "oov" + std::to_string(i - words_count) : std::to_string(i));
    return names;
}

std::string listed(const std::vector<int64_t>& ids) {
    std::string out;
    for (int64_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
    return "[" + out + "]";
}

}  // namespace

std::vector<Example> read_tfrecord_examples(const std::string& path) {
    std::vector<Example> examples;
    for (const std::string& record : read_tfrecord(path)) {
        try {
            examples.push_back(parse_example(record));
        } catch (const std::exception& e) {
            throw std::runtime_error(path + ": record " + std::to_string(examples.size()) + ": " +
                                     one_line(e.what()));
        }
    }
    if (examples.empty()) throw std::runtime_error(path + ": holds no records");
    return examples;
}

ImageDataset dataset_from_column_file(const ColumnFile& file,
                                      const std::vector<Example>& examples) {
    FeatureLayer layer(file, examples);
    const ColumnSpec *image = nullptr, *label = nullptr;  // in the layer's own copy
    for (const ColumnSpec& c : layer.file().columns) {
        if (image_shaped(c) && !image)
            image = &c;
        else if (label_like(c) && !label)
            label = c.kind == ColumnKind::indicator ? &c.children[0] : &c;
        else
            refuse(file, c, std::string("not used: ") + kNeeds);
    }
    if (!image) throw std::runtime_error(file.path + ": declares no image; " + kNeeds);
    constexpr int64_t kMaxClasses = 10000;  // the image column's label limit
    if (label && column_num_buckets(*label) > kMaxClasses)
        refuse(file, *label,
               "a label has at most " + std::to_string(kMaxClasses) + " classes, this one " +
                   std::to_string(column_num_buckets(*label)));

    // The image and label as the image column reads them, so pixels follow one rule.
    std::vector<Example> plain(examples.size());
    for (size_t i = 0; i < examples.size(); ++i) {
        Example& out = plain[i];
        if (image->kind == ColumnKind::image) {
            auto it = examples[i].find(image->key);
            if (it != examples[i].end()) out["image"] = it->second;
            for (const char* size : {"height", "width", "image/height", "image/width"})
                if (auto s = examples[i].find(size); s != examples[i].end()) out[size] = s->second;
        } else {
            const std::vector<float> values = layer.dense_output(*image, examples[i], i);
            const int64_t h = image->shape[image->shape.size() - 2], w = image->shape.back();
            if (image->integer_values && !layer.normalizer_fit(*image))
                out["image"] = Feature::of_ints(std::vector<int64_t>(values.begin(), values.end()));
            else
                out["image"] = Feature::of_floats(values);
            out["height"] = Feature::of_ints({h});
            out["width"] = Feature::of_ints({w});
        }
        if (!label) continue;
        const std::vector<int64_t> ids = layer.ids(*label, examples[i], i).ids;
        if (ids.size() != 1 || ids[0] < 0)
            throw std::runtime_error(file.path + ": column '" + printable(column_name(*label)) +
                                     "' (" + column_kind_name(label->kind) + "): record " +
                                     std::to_string(i) + ": a label needs one class id >= 0, got " +
                                     listed(ids));
        out["label"] = Feature::of_ints({ids[0]});
    }
    ImageDataset data;
    try {
        data = dataset_from_examples(plain, {"image", label ? "label" : ""});
    } catch (const std::exception& e) {
        refuse(file, *image, one_line(e.what()));
    }
    if (label) data.class_names = class_names_of(*label);
    return data;
}

}  // namespace ganvas
