"""Training, evaluation and ONNX export of clipsmith's own small CLIP model (clipsmith-scenes)."""
