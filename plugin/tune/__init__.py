"""Fine-tuning, transfer learning and pruning on the CPU (`deskdraft model tune`).

See docs/tuning.md."""
