#include "data/image_folder.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <vector>

#include "io/image_png.h"

namespace ganvas {
namespace {

namespace fs = std::filesystem;

bool has_image_extension(const fs::path& p) {
    // What io/image_decode.h reads; TGA, PNM and the rest are no longer decoded.
    static const std::vector<std::string> kExtensions = {".png", ".jpg", ".jpeg", ".bmp", ".gif"};
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

// The image files directly in `dir`, sorted.
std::vector<fs::path> images_in(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file() && has_image_extension(entry.path()))
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

ImageDataset load_image_folder(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw std::runtime_error(dir + ": " +
                                 (fs::exists(dir, ec) ? "is not a folder" : "no such folder"));
    // Class folders (those holding images) first; with none, the images in DIR itself.
    std::map<fs::path, std::vector<fs::path>> classes;  // sorted by folder
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_directory())
            if (auto images = images_in(entry.path()); !images.empty())
                classes[entry.path()] = std::move(images);

    std::vector<std::pair<fs::path, int64_t>> files;  // (file, label or -1)
    if (classes.empty())
        for (const fs::path& f : images_in(dir)) files.emplace_back(f, -1);
    int64_t label = 0;
    for (const auto& [folder, images] : classes) {
        for (const fs::path& f : images) files.emplace_back(f, label);
        ++label;
    }
    if (files.empty())
        throw std::runtime_error(dir +
                                 ": holds no image files (PNG, JPEG, BMP, GIF), "
                                 "neither directly nor in class folders");

    ImageDataset data;
    const auto n = static_cast<int64_t>(files.size());
    for (int64_t i = 0; i < n; ++i) {
        const std::string path = files[i].first.string();
        const Tensor image = load_image(path, 1);  // (1, 1, H, W)
        if (i == 0) {
            data.images = Tensor::empty({n, 1, image.size(2), image.size(3)});  // (N, 1, H, W)
        } else if (image.size(2) != data.images.size(2) || image.size(3) != data.images.size(3)) {
            throw std::runtime_error(
                path + ": is " + std::to_string(image.size(3)) + "x" +
                std::to_string(image.size(2)) + " pixels but " + files[0].first.string() + " is " +
                std::to_string(data.images.size(3)) + "x" + std::to_string(data.images.size(2)) +
                "; the images of a folder must share one size");
        }
        std::copy(image.data(), image.data() + image.numel(),
                  data.images.data() + i * image.numel());
    }
    if (!classes.empty()) {
        data.labels = Tensor::empty({n}, DType::i64);  // (N,)
        for (int64_t i = 0; i < n; ++i) data.labels.data_i64()[i] = files[i].second;
        for (const auto& [folder, images] : classes)
            data.class_names.push_back(folder.filename().string());
    }
    data.name = "folder:" + dir;
    return data;
}

}  // namespace ganvas
