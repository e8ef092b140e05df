// TensorBoardWriter: appends Events to a fresh event file that TensorBoard reads live.
//
// The file is DIR/events.out.tfevents.UNIXTIME.HOSTNAME (with .PID added if a writer
// in the same second took that name), TFRecord-framed (data/tfrecord.h), starting with
// the "brain.Event:2" version event as TensorFlow's writers do.
//
// Each event goes to the file in one write() of its whole framed record, with no
// buffer of ours in between: once a call returns, a reader (TensorBoard polls the
// file) sees the whole record, never half of one for long. fsync, which guards against
// a power cut rather than making bytes visible, costs milliseconds on some disks, so
// it runs on flush() (a checkpoint's moment) and on closing, not for every scalar.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "data/tensorboard_event.h"

namespace ganvas {

class TensorBoardWriter {
public:
    // Creates `dir` if needed and the event file in it; throws std::runtime_error
    // naming the folder or file and why.
    explicit TensorBoardWriter(const std::string& dir);
    ~TensorBoardWriter();  // flushes and closes
    TensorBoardWriter(const TensorBoardWriter&) = delete;
    TensorBoardWriter& operator=(const TensorBoardWriter&) = delete;

    // Several scalars of one step in one event (one Summary with a value each).
    void add_scalars(int64_t step, const std::vector<std::pair<std::string, float>>& values);
    void add_scalar(const std::string& tag, int64_t step, float value);
    // A PNG file's bytes; its size and channels are read from its header.
    void add_png(const std::string& tag, int64_t step, const std::string& png);
    void add_text(const std::string& tag, int64_t step, const std::string& text);
    // Any event; wall_time is set to now when it is 0.
    void write(Event event);
    // Durable on disk (fsync).
    void flush();

    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
};

// Width, height and channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) from a PNG's IHDR
// chunk; false for bytes that do not start like a PNG.
bool png_header(const std::string& png, int* width, int* height, int* channels);

}  // namespace ganvas
