"""Golden tensors for the basic ops: broadcasting arithmetic, unary maths,
reductions, shape ops, matmul and linear. Each case saves its inputs, its
output, a fixed upstream gradient `g` and the input gradients."""
import pathlib

import torch

from make_golden import save


def case(out, name, fn, inputs):
    xs = [t.clone().requires_grad_() for t in inputs]
    y = fn(*xs)
    g = torch.randn_like(y)
    grads = torch.autograd.grad(y, xs, g)
    for i, x in enumerate(xs):
        save(out / f"{name}_in{i}.npy", x)
        save(out / f"{name}_grad{i}.npy", grads[i])
    save(out / f"{name}_out.npy", y)
    save(out / f"{name}_g.npy", g)


def make(out):
    out = pathlib.Path(out)
    r = torch.randn
    pos = lambda *s: torch.rand(*s) + 0.5
    case(out, "add_broadcast", torch.add, [r(2, 3, 4), r(3, 1)])
    case(out, "sub_broadcast", torch.sub, [r(4, 1, 5), r(3, 1)])
    case(out, "mul_broadcast", torch.mul, [r(2, 1, 4), r(2, 3, 1)])
    case(out, "div_broadcast", torch.div, [r(2, 3, 4), pos(4)])
    case(out, "exp", torch.exp, [r(3, 5)])
    case(out, "log", torch.log, [pos(3, 5)])
    case(out, "sqrt", torch.sqrt, [pos(3, 5)])
    case(out, "pow3", lambda x: x ** 3, [r(3, 5)])
    case(out, "abs", torch.abs, [r(3, 5)])
    case(out, "clamp", lambda x: x.clamp(-0.5, 0.7), [r(4, 6)])
    case(out, "sum_dims", lambda x: x.sum((0, 2)), [r(3, 4, 5)])
    case(out, "mean_keepdim", lambda x: x.mean(1, keepdim=True), [r(3, 4, 5)])
    case(out, "sum_all", lambda x: x.sum(), [r(3, 4)])
    case(out, "permute", lambda x: x.permute(2, 0, 1).contiguous(), [r(2, 3, 4)])
    case(out, "cat", lambda a, b: torch.cat([a, b], 1), [r(2, 3, 4), r(2, 2, 4)])
    case(out, "flatten", lambda x: x.flatten(1), [r(2, 3, 4)])
    case(out, "narrow", lambda x: x.narrow(2, 1, 2).contiguous(), [r(2, 3, 4)])
    case(out, "matmul", torch.matmul, [r(5, 7), r(7, 3)])
    case(out, "bmm", torch.matmul, [r(2, 5, 7), r(2, 7, 3)])
    case(out, "linear", torch.nn.functional.linear, [r(6, 8), r(4, 8), r(4)])
