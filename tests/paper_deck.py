"""A small deck naming two papers and notes about them, shared by tests."""

PAPERS = "Transcript\n" + "".join(
    f"  {i}. {title} {body}\n" for i, (title, body) in enumerate([
        ("Agenda", "Deep Residual Learning for Image Recognition / Adam: A Method for Stochastic Optimization"),
        ("Deep Residual Learning for Image Recognition", "Motivation 깊은 망"),
        ("ResNet", "Model 잔차 연결"), ("ResNet", "Result 정확도"),
        ("Adam: A Method for Stochastic Optimization", "Motivation 학습률"),
        ("Adam", "Model 모멘텀"), ("Adam", "Result 수렴"),
    ], 1))
NOTES = [("n.md", "## ResNet 리뷰\n잔차 연결 이야기\n## 아담\n모멘텀과 학습률 이야기\n")]
