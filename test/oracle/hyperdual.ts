/**
 * Hyper-dual numbers a + b e1 + c e2 + d e1e2 (e1^2 = e2^2 = 0): evaluating a function at x + e1 u + e2 w gives
 * f, the directional derivatives along u and w, and the exact second derivative u^T H w in the e1e2 part, in float64
 * with no step size. An independent oracle for gradients and Hessian-vector products.
 */
export class HD {
  constructor(
    readonly a: number,
    readonly b = 0,
    readonly c = 0,
    readonly d = 0,
  ) {}
  static of(x: number | HD): HD {
    return typeof x === "number" ? new HD(x) : x;
  }
  add(o: HD | number): HD {
    const y = HD.of(o);
    return new HD(this.a + y.a, this.b + y.b, this.c + y.c, this.d + y.d);
  }
  sub(o: HD | number): HD {
    const y = HD.of(o);
    return new HD(this.a - y.a, this.b - y.b, this.c - y.c, this.d - y.d);
  }
  mul(o: HD | number): HD {
    const y = HD.of(o);
    return new HD(this.a * y.a, this.a * y.b + this.b * y.a, this.a * y.c + this.c * y.a, this.a * y.d + this.b * y.c + this.c * y.b + this.d * y.a);
  }
  /** f(x) for a scalar function with derivatives f0, f1, f2 at the real part. */
  private apply(f0: number, f1: number, f2: number): HD {
    return new HD(f0, f1 * this.b, f1 * this.c, f1 * this.d + f2 * this.b * this.c);
  }
  exp(): HD {
    const e = Math.exp(this.a);
    return this.apply(e, e, e);
  }
  log(): HD {
    return this.apply(Math.log(this.a), 1 / this.a, -1 / (this.a * this.a));
  }
  tanh(): HD {
    const t = Math.tanh(this.a);
    const d1 = 1 - t * t;
    return this.apply(t, d1, -2 * t * d1);
  }
  sigmoid(): HD {
    const s = 1 / (1 + Math.exp(-this.a));
    const d1 = s * (1 - s);
    return this.apply(s, d1, d1 * (1 - 2 * s));
  }
  relu(): HD {
    return this.a > 0 ? this : new HD(0);
  }
}
