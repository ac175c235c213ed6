"""tqdm bars for the phases of a long command (one bar per phase)."""

from tqdm import tqdm

from portal.core.backup import Progress


class Bars:
    def __init__(self, disable=False):
        self.disable = disable
        self.bar = None
        self.progress = Progress(start=self.start, step=self.step)

    def start(self, label, total):
        self.close()
        self.bar = tqdm(total=total or None, desc=label, disable=self.disable)

    def step(self, n=1):
        self.bar.update(n)

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
