/**
 * Adagrad on the rows a mini-batch touched, with L2 on those rows only: the tables are too
 * large (and players too many) for dense updates. Gradients of a row are summed over the batch
 * before one update, as a mini-batch step should.
 */
export class SparseAdagrad {
  private readonly gradient: Float32Array;
  private readonly marked: Uint8Array;
  private touched: number[] = [];

  constructor(
    private readonly values: Float32Array,
    private readonly accumulator: Float32Array,
    private readonly rowWidth: number,
    private readonly learningRate: number,
    private readonly l2: number,
  ) {
    this.gradient = new Float32Array(values.length);
    this.marked = new Uint8Array(values.length / rowWidth);
  }

  addScalar(index: number, gradient: number): void {
    this.touch(index);
    this.gradient[index] += gradient;
  }

  addRow(rowStart: number, source: Float32Array, sourceOffset: number): void {
    this.touch(rowStart);
    for (let d = 0; d < this.rowWidth; d++) this.gradient[rowStart + d] += source[sourceOffset + d]!;
  }

  apply(): void {
    const { values, accumulator, gradient } = this;
    for (const rowStart of this.touched) {
      for (let j = rowStart; j < rowStart + this.rowWidth; j++) {
        const g = gradient[j]! + this.l2 * values[j]!;
        accumulator[j] += g * g;
        values[j] -= (this.learningRate * g) / Math.sqrt(accumulator[j]!);
        gradient[j] = 0;
      }
      this.marked[rowStart / this.rowWidth] = 0;
    }
    this.touched = [];
  }

  private touch(rowStart: number): void {
    const row = rowStart / this.rowWidth;
    if (this.marked[row] === 0) {
      this.marked[row] = 1;
      this.touched.push(rowStart);
    }
  }
}
