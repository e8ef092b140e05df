// A folder of image files as a dataset, laid out as torchvision's ImageFolder expects:
//
//   DIR/CLASS_A/x.png, DIR/CLASS_A/y.jpg, DIR/CLASS_B/z.png, ...   classes, labelled in
//                                                                  sorted folder order
//   DIR/x.png, DIR/y.png, ...                                      no labels, when DIR has
//                                                                  no class folders
//
// Files are read in sorted order (so a folder names one dataset), with stb_image
// (PNG, JPEG, BMP, GIF, TGA, PSD, HDR, PIC, PNM), converted to gray. Other files are
// skipped. All images must share one size.
#pragma once

#include <string>

#include "data/dataset.h"

namespace ganvas {

// Throws std::runtime_error naming the folder (missing, no images) or the file (unreadable,
// a size unlike the first image's).
ImageDataset load_image_folder(const std::string& dir);

}  // namespace ganvas
