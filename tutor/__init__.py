"""backprop-tutor: a terminal tutor for backpropagation."""
