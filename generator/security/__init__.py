"""What the board may disclose: the publish policy, masking, and the output scanner."""
