"""The autograd engine: numpy only. It knows nothing of lessons, YAML or Textual."""

from .dsl import ExpressionError, read_expression
from .graph import Backward, Cost, Graph, GraphError, GraphTooLarge, Node
from .numerical import gradient_check, graph_numerical_grad, numerical_gradient
from .ops import FUNCTIONS, OPS

__all__ = ["Backward", "Cost", "ExpressionError", "FUNCTIONS", "Graph", "GraphError", "GraphTooLarge", "Node", "OPS",
           "gradient_check", "graph_numerical_grad", "numerical_gradient", "read_expression"]
