//! Scenarios and quizzes.
