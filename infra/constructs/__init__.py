"""One construct per domain of the Heard stack; `infra/stack.py` composes them."""
