"""Reports: render an audit's results; they decide nothing."""
