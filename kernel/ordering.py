"""The one order of unit codes everywhere: pages, results, workbooks, reports."""


def unit_code_key(code: str) -> tuple:
    """Natural order of unit codes: A2 before A10."""
    head = code.rstrip("0123456789")
    tail = code[len(head) :]
    return (head, int(tail) if tail else -1, code)
