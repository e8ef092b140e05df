// Every op of the core, in one include.
#pragma once

#include "ops/activation.h"
#include "ops/attention.h"
#include "ops/conv.h"
#include "ops/elementwise.h"
#include "ops/indexing.h"
#include "ops/interpolate.h"
#include "ops/loss.h"
#include "ops/matmul.h"
#include "ops/norm.h"
#include "ops/pixel_shuffle.h"
#include "ops/pooling.h"
#include "ops/quantize.h"
#include "ops/reduce.h"
#include "ops/shape_ops.h"
#include "ops/softmax.h"
#include "tape/tape.h"
