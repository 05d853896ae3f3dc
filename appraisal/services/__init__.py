"""What changes appraisal data: one module per thing acted on."""
