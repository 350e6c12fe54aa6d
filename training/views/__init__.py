"""Training pages: for the people who take training (learner), the trainers who write
standards and modules, and the managers and trainers who follow compliance."""
