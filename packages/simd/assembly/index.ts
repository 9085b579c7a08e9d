export { inverseNorms, scanAbove, scanAbove4 } from './scores';
export { solveRowsCg } from './cg';
export { gramBlock, rotateRows } from './dense';
