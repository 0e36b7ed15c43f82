//! Quizzes.
