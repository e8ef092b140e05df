"""Golden tensors for activations, losses, batch norm and layer norm.

Each case saves its inputs, an upstream gradient `gy`, the outputs and the
gradients of sum(y * gy). Batch norm also saves the running statistics after
two training calls, then the eval-mode output with those statistics.
"""
import torch
import torch.nn.functional as F

from make_golden import save


def grads(y, inputs, gy):
    return torch.autograd.grad((y * gy).sum(), inputs)


def activations(out):
    x = torch.randn(4, 5)
    x[0, 0] = 0.0  # the kink: torch's derivative there is the negative side's
    x.requires_grad_(True)
    gy = torch.randn(4, 5)
    v = torch.randn(4, 5)
    save(out / "act_x.npy", x)
    save(out / "act_gy.npy", gy)
    save(out / "act_v.npy", v)
    cases = {
        "relu": lambda t: F.relu(t),
        "leaky_relu": lambda t: F.leaky_relu(t, 0.2),
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
    }
    for name, f in cases.items():
        y = f(x)
        (gx,) = torch.autograd.grad((y * gy).sum(), x, create_graph=True)
        save(out / f"{name}_y.npy", y)
        save(out / f"{name}_gx.npy", gx)
        if gx.requires_grad:  # second derivative: d/dx sum(gx * v)
            (ggx,) = torch.autograd.grad((gx * v).sum(), x)
        else:
            ggx = torch.zeros_like(x)
        save(out / f"{name}_ggx.npy", ggx)


def losses(out):
    x = torch.randn(6, 3) * 3
    x[0, 0], x[0, 1], x[0, 2] = 60.0, -60.0, 0.0  # far-out logits must stay finite
    x.requires_grad_(True)
    t = torch.rand(6, 3)
    t[1, 0] = x[1, 0].item()  # l1's kink: torch's gradient there is 0
    t.requires_grad_(True)
    save(out / "loss_x.npy", x)
    save(out / "loss_t.npy", t)
    cases = {
        "bce": F.binary_cross_entropy_with_logits,
        "mse": F.mse_loss,
        "l1": F.l1_loss,
    }
    for name, f in cases.items():
        y = f(x, t)
        gx, gt = torch.autograd.grad(y, (x, t))
        # Shape (1,), said outright: make_golden.save's np.ascontiguousarray turns a
        # 0-d array into (1,) anyway, and the C++ test compares against that.
        save(out / f"{name}_y.npy", y.reshape(1))
        save(out / f"{name}_gx.npy", gx)
        save(out / f"{name}_gt.npy", gt)


def batch_norm(out, prefix, shape):
    c = shape[1]
    bn = torch.nn.BatchNorm1d(c) if len(shape) == 2 else torch.nn.BatchNorm2d(c)
    with torch.no_grad():
        bn.weight.copy_(torch.randn(c))
        bn.bias.copy_(torch.randn(c))
        bn.running_mean.copy_(torch.randn(c))
        bn.running_var.copy_(torch.rand(c) + 0.5)
    save(out / f"{prefix}_weight.npy", bn.weight)
    save(out / f"{prefix}_bias.npy", bn.bias)
    save(out / f"{prefix}_rm0.npy", bn.running_mean)
    save(out / f"{prefix}_rv0.npy", bn.running_var)
    bn.train()
    for step in (1, 2):
        # Off-centre data, so the running statistics move visibly.
        x = (torch.randn(*shape) * 2 + 0.5).requires_grad_(True)
        gy = torch.randn(*shape)
        y = bn(x)
        gx, gw, gb = grads(y, (x, bn.weight, bn.bias), gy)
        save(out / f"{prefix}_x{step}.npy", x)
        save(out / f"{prefix}_gy{step}.npy", gy)
        save(out / f"{prefix}_y{step}.npy", y)
        save(out / f"{prefix}_gx{step}.npy", gx)
        save(out / f"{prefix}_gw{step}.npy", gw)
        save(out / f"{prefix}_gb{step}.npy", gb)
        save(out / f"{prefix}_rm{step}.npy", bn.running_mean)
        save(out / f"{prefix}_rv{step}.npy", bn.running_var)
    bn.eval()
    x = torch.randn(*shape).requires_grad_(True)
    gy = torch.randn(*shape)
    y = bn(x)
    gx, gw, gb = grads(y, (x, bn.weight, bn.bias), gy)
    save(out / f"{prefix}_xe.npy", x)
    save(out / f"{prefix}_gye.npy", gy)
    save(out / f"{prefix}_ye.npy", y)
    save(out / f"{prefix}_gxe.npy", gx)
    save(out / f"{prefix}_gwe.npy", gw)
    save(out / f"{prefix}_gbe.npy", gb)


def layer_norm(out):
    x = torch.randn(4, 3, 8).requires_grad_(True)
    w = torch.randn(8).requires_grad_(True)
    b = torch.randn(8).requires_grad_(True)
    gy = torch.randn(4, 3, 8)
    y = F.layer_norm(x, (8,), w, b)
    gx, gw, gb = grads(y, (x, w, b), gy)
    for name, t in dict(x=x, w=w, b=b, gy=gy, y=y, gx=gx, gw=gw, gb=gb).items():
        save(out / f"ln_{name}.npy", t)


def make(out):
    activations(out)
    losses(out)
    batch_norm(out, "bn1d", (8, 6))
    batch_norm(out, "bn2d", (4, 3, 5, 5))
    layer_norm(out)
