"""Every sentence the grader says, in Korean and English, in one table so both stay in step.

Templates use ``str.format`` fields. Numbers are never followed by a Korean particle (은/는, 이/가),
since which one fits depends on how the number is read aloud.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- reading the answer ----------------------------------------------------------------
    "empty": ("답을 입력해 주세요.", "Please type an answer."),
    "too-long": ("답이 너무 깁니다({length}자). {limit}자 이내로 써 주세요.",
                 "That answer is too long ({length} characters); keep it under {limit}."),
    "bad-character": ("\"{char}\" 문자는 쓸 수 없습니다. 숫자와 + - * / ^ ( ) 만 써 주세요.",
                      "The character \"{char}\" cannot be used here; use numbers and + - * / ^ ( )."),
    "decimal-comma": ("소수점은 쉼표가 아니라 점으로 씁니다: {suggestion}",
                      "Write the decimal point as a dot, not a comma: {suggestion}"),
    "thousands-comma": ("천 단위 쉼표 없이 써 주세요: {thousands} (소수라면 {decimal})",
                        "Leave out the thousands separator: {thousands} (or {decimal} if you meant a decimal)"),
    "two-points": ("'{text}'에는 소수점이 두 개 있습니다. 소수점은 하나만 씁니다.",
                   "'{text}' has more than one decimal point; a number has at most one."),
    "hex": ("16진수 등 다른 진법은 받지 않습니다. 10진수로 써 주세요.",
            "Hexadecimal and other bases are not accepted; write the number in decimal."),
    "two-numbers": ("숫자 두 개가 연산자 없이 붙어 있습니다('{text}'). 사이에 + - * / 중 하나를 넣어 주세요.",
                    "Two numbers stand side by side ('{text}'); put an operator (+ - * /) between them."),
    "too-deep": ("괄호가 너무 깊게 겹쳐 있습니다.", "The brackets are nested too deeply."),
    "unbalanced": ("괄호의 짝이 맞지 않습니다.", "The brackets do not match."),
    "syntax": ("'{text}'을(를) 식으로 읽을 수 없습니다. 빠진 숫자나 연산자가 없는지 확인해 주세요.",
               "Cannot read '{text}' as a formula; check for a missing number or operator."),
    "not-finite": ("'{name}'은(는) 값으로 받지 않습니다. 유한한 숫자를 써 주세요.",
                   "'{name}' is not accepted; please type a finite number."),
    "name-in-number": ("여기에는 숫자를 써야 합니다('{name}'은(는) 숫자가 아닙니다).",
                       "A number is expected here ('{name}' is not a number)."),
    "function-in-number": ("여기에는 숫자와 사칙연산, 거듭제곱만 쓸 수 있습니다.",
                           "Only numbers, + - * / and powers can be used here."),
    "unknown-name": ("'{name}'이라는 이름은 없습니다{suggestion}. 쓸 수 있는 이름: {names}",
                     "There is no name '{name}'{suggestion}. Names you can use: {names}"),
    "did-you-mean": (" ('{name}'을(를) 뜻했나요?)", " (did you mean '{name}'?)"),
    "too-many-digits": ("숫자의 자릿수가 너무 많습니다({limit}자리까지).",
                        "That number has too many digits (at most {limit})."),
    "too-large": ("수가 너무 크거나 너무 작아서 계산하지 않았습니다.", "That number is too large (or too small) to work with."),
    "not-real": ("음수의 분수 거듭제곱은 실수가 아닙니다.", "A negative number to a fractional power is not a real number."),
    "division-by-zero": ("0으로 나눌 수 없습니다.", "Division by zero is not defined."),
    "vector-length": ("수를 {expected}개 써야 하는데 {given}개를 썼습니다. 쉼표로 구분해 주세요(예: 3, 6, 9).",
                      "{expected} numbers are expected and you typed {given}; separate them with commas (e.g. 3, 6, 9)."),
    "not-evaluable": ("이 식은 그래프의 값에서 계산되지 않습니다(0으로 나누기, 음수의 로그 등).",
                      "This formula cannot be evaluated at the graph's values (division by zero, log of a negative ...)."),
    "shape": ("식의 모양(벡터/행렬 크기)이 맞지 않습니다.", "The shapes in the formula do not fit together."),
    "unknown-option": ("보기 중에서 고르세요: {options}", "Choose one of the options: {options}"),
    # ---- verdicts ----------------------------------------------------------------------------
    "correct": ("정답입니다.", "Correct."),
    "incorrect": ("아직 아닙니다. 다시 생각해 보세요.", "Not yet. Think it through once more."),
    "zero-not-accepted": ("정답은 0이 아닙니다. 이 기울기에는 0이 아닌 값이 흘러옵니다.",
                          "The answer is not 0: a non-zero gradient reaches this node."),
    "band": ("입력한 값이 {expected}에서 ±{percent} 범위({low} ~ {high}) 안에 있어, 반올림한 값으로 인정했습니다.",
             "{given} is within {percent} of {expected}, so it is accepted ({low} to {high})."),
    "carried": ("앞 빈칸({earlier})에 쓴 값 {value}에서 출발하면 맞는 계산입니다. 실제 정답은 {expected}입니다. "
                "앞 빈칸을 고치면 이 값도 달라집니다.",
                "Right, given your answer {value} to the earlier blank ({earlier}). The true value is {expected}; "
                "fix the earlier blank and this one changes with it."),
    "wrong-option": ("이 보기는 답이 아닙니다.", "That option is not the answer."),
    # ---- mistakes: each names the rule the learner needs -------------------------------------
    "mistake-own-input": (
        "곱셈 노드는 ‘다른’ 입력에 상류 기울기를 곱해 흘려보냅니다. {consumer} 노드에서 {node} 쪽으로는 "
        "{node} 자신의 값({own})이 아니라 다른 입력 {other}의 값({other_value})을 상류 기울기({upstream})에 곱해야 합니다.",
        "A multiplication node passes back the upstream gradient times the other input (not its own). At {consumer}, the "
        "gradient for {node} is the upstream gradient ({upstream}) times {other} ({other_value}), not times {node} "
        "itself ({own})."),
    "mistake-split-at-add": (
        "덧셈 노드는 상류 기울기를 나누지 않고 모든 입력에 그대로 흘려보냅니다(국소 미분이 1). "
        "{consumer} 노드로 들어온 기울기({upstream})가 {node}에도 온전히 전해집니다.",
        "An addition node does not split the upstream gradient: it passes it unchanged to every input (its local "
        "derivative is 1), so {node} receives the full {upstream} from {consumer}."),
    "mistake-local-only": (
        "국소 미분 ∂{consumer}/∂{node}({local})만 구하고 상류 기울기({upstream})를 곱하지 않은 것 같습니다. "
        "역전파는 노드의 국소 미분에 상류에서 흘러온 기울기를 곱해 흘려보냅니다(연쇄 법칙).",
        "That looks like the local derivative ∂{consumer}/∂{node} ({local}) without the upstream gradient "
        "({upstream}). Backpropagation multiplies each local derivative by the gradient flowing in from upstream "
        "(the chain rule)."),
    "mistake-upstream-only": (
        "상류에서 흘러온 기울기({upstream})를 그대로 옮겨 적은 것 같습니다. {consumer} 노드를 지날 때는 "
        "그 노드의 국소 미분 ∂{consumer}/∂{node}({local})도 곱해야 합니다.",
        "That is the upstream gradient ({upstream}) copied through. Passing {consumer}, multiply by its local "
        "derivative ∂{consumer}/∂{node} ({local}) as well."),
    "mistake-forward-value": (
        "{node}의 순전파 값을 쓴 것 같습니다. 이 빈칸이 묻는 것은 기울기, 즉 {wrt}이(가) 1만큼 변할 때 "
        "{output}이(가) 얼마나 변하는지입니다.",
        "That is the forward value of {node}. This blank asks for a gradient: how much {output} changes when "
        "{wrt} grows by 1."),
    "mistake-sign-flip": (
        "크기는 맞지만 부호가 반대입니다. 경로에 있는 뺄셈(−)이나 음수 곱의 부호를 다시 확인해 보세요.",
        "The size is right but the sign is flipped; check the signs along the path (a subtraction, a negative "
        "factor)."),
    "mistake-missing-1/n": (
        "평균의 1/N을 빠뜨린 것 같습니다. 이 레슨의 손실은 평균(1/N)Σ(N = {n})이므로 기울기에도 1/N이 곱해집니다.",
        "The 1/N of the mean seems to be missing: this lesson's loss is a mean, (1/N)Σ with N = {n}, so the "
        "gradient carries 1/N too."),
    "mistake-missing-2": (
        "제곱을 미분할 때 나오는 2를 빠뜨린 것 같습니다. (y−ŷ)²을 미분하면 2(y−ŷ)입니다.",
        "The factor 2 from differentiating the square seems to be missing: the derivative of (y−ŷ)² is 2(y−ŷ)."),
    "mistake-sse-convention": (
        "책의 손실 0.5·Σ(y−ŷ)²로 계산한 것 같습니다. 이 레슨은 (1/N)·Σ(y−ŷ)²(N = {n})를 쓰므로 "
        "기울기는 (2/N)·(y−ŷ)입니다.",
        "That is the gradient of the book's 0.5·Σ(y−ŷ)². This lesson uses (1/N)·Σ(y−ŷ)² with N = {n}, whose "
        "gradient is (2/N)·(y−ŷ)."),
    "mistake-one-path": (
        "{node}은(는) 여러 노드({consumers})에서 쓰이는데, 한 경로의 기울기만 구한 것 같습니다. "
        "모든 경로에서 흘러온 기울기를 더해야 합니다.",
        "{node} feeds several nodes ({consumers}); that is the gradient along one path only. Add the gradients "
        "from every path."),
    "mistake-with-upstream": (
        "이 빈칸은 국소 미분만 묻습니다. 상류 기울기({upstream})는 곱하지 않습니다.",
        "This blank asks for the local derivative alone: leave out the upstream gradient ({upstream})."),
    # ---- hints: how each kind of node passes a gradient back ({what}) -------------

    "rule-add": ("덧셈 노드({what})는 상류 기울기를 모든 입력에 그대로 흘려보냅니다. 국소 미분은 1입니다.",
            "An addition node ({what}) passes the upstream gradient unchanged to every input: its "
            "local derivative is 1."),
    "rule-sub": ("뺄셈 노드({what})는 앞 입력에는 상류 기울기를 그대로, 뒤 입력에는 부호를 바꿔 흘려보냅니다.",
            "A subtraction node ({what}) passes the upstream gradient unchanged to the first input and "
            "with its sign flipped to the second."),
    "rule-mul": ("곱셈 노드({what})는 상류 기울기에 ‘다른’ 입력의 값을 곱해 흘려보냅니다. "
            "z = xy이면 ∂z/∂x = y, ∂z/∂y = x입니다.",
            "A multiplication node ({what}) passes back the upstream gradient times the other input: "
            "for z = xy, ∂z/∂x = y and ∂z/∂y = x."),
    "rule-div": ("나눗셈 노드 z = x / y: ∂z/∂x = 1/y, ∂z/∂y = −x/y². 여기에 상류 기울기를 곱합니다.",
            "A division node z = x / y: ∂z/∂x = 1/y and ∂z/∂y = −x/y², each times the upstream gradient."),
    "rule-pow": ("거듭제곱 노드 z = xⁿ: ∂z/∂x = n·xⁿ⁻¹. 여기에 상류 기울기를 곱합니다.",
            "A power node z = xⁿ: ∂z/∂x = n·xⁿ⁻¹, times the upstream gradient."),
    "rule-square": ("제곱 노드 z = x²: ∂z/∂x = 2x. 여기에 상류 기울기를 곱합니다.",
               "A square node z = x²: ∂z/∂x = 2x, times the upstream gradient."),
    "rule-neg": ("부호 바꿈 노드 z = −x는 상류 기울기의 부호를 바꿔 흘려보냅니다.",
            "A negation node z = −x passes back the upstream gradient with its sign flipped."),
    "rule-relu": ("ReLU 노드는 순전파 입력이 0보다 컸으면 상류 기울기를 그대로, 아니면 0을 흘려보냅니다(정확히 0일 때도 0).",
             "A ReLU node passes the upstream gradient through where its input was above 0, and 0 elsewhere "
             "(also at exactly 0)."),
    "rule-sigmoid": ("시그모이드 노드 y = σ(x): ∂y/∂x = y(1 − y). 순전파 출력 y만으로 계산됩니다.",
                "A sigmoid node y = σ(x): ∂y/∂x = y(1 − y), computed from the forward output y alone."),
    "rule-tanh": ("tanh 노드 y = tanh(x): ∂y/∂x = 1 − y².", "A tanh node y = tanh(x): ∂y/∂x = 1 − y²."),
    "rule-exp": ("exp 노드 y = exp(x): ∂y/∂x = exp(x) = y. 순전파 출력을 그대로 곱합니다.",
            "An exp node y = exp(x): ∂y/∂x = exp(x) = y, so multiply by the forward output."),
    "rule-log": ("log 노드 y = log(x): ∂y/∂x = 1/x.", "A log node y = log(x): ∂y/∂x = 1/x."),
    "rule-sum": ("합 노드(Σ)는 상류 기울기를 모든 원소에 그대로 나눠 줍니다(각 원소의 국소 미분이 1).",
            "A sum node (Σ) hands the upstream gradient to every element unchanged (each local derivative is 1)."),
    "rule-mean": ("평균 노드는 상류 기울기를 원소 수 N으로 나눠 모든 원소에 흘려보냅니다(국소 미분 1/N).",
             "A mean node passes the upstream gradient divided by the number of elements N to every element "
             "(local derivative 1/N)."),
    "rule-mse": ("MSE = (1/N)Σ(y − t)²의 y에 대한 미분은 (2/N)(y − t)입니다.",
            "MSE = (1/N)Σ(y − t)² has the derivative (2/N)(y − t) with respect to y."),
    "rule-sse": ("0.5·Σ(y − t)²의 y에 대한 미분은 (y − t)입니다.", "0.5·Σ(y − t)² has the derivative (y − t) with respect to y."),
    "rule-matmul": ("행렬곱 Y = X·W: ∂L/∂X = ∂L/∂Y · Wᵀ, ∂L/∂W = Xᵀ · ∂L/∂Y. 모양이 맞도록 전치합니다.",
               "A matrix product Y = X·W: ∂L/∂X = ∂L/∂Y · Wᵀ and ∂L/∂W = Xᵀ · ∂L/∂Y; transpose so the shapes fit."),
    "rule-affine": ("Affine 계층 Y = X·W + B: ∂L/∂X = ∂L/∂Y · Wᵀ, ∂L/∂W = Xᵀ · ∂L/∂Y, ∂L/∂B = 배치 방향으로 더한 ∂L/∂Y.",
               "An Affine layer Y = X·W + B: ∂L/∂X = ∂L/∂Y · Wᵀ, ∂L/∂W = Xᵀ · ∂L/∂Y, ∂L/∂B = ∂L/∂Y summed over "
               "the batch."),
    "rule-transpose": ("전치 노드는 상류 기울기를 다시 전치해 흘려보냅니다.", "A transpose node passes back the upstream "
                  "gradient transposed."),
    "rule-softmax": ("소프트맥스 y의 역전파: ∂L/∂x = y ⊙ (∂L/∂y − Σ(∂L/∂y ⊙ y)).",
                "Softmax y backward: ∂L/∂x = y ⊙ (∂L/∂y − Σ(∂L/∂y ⊙ y))."),
    "rule-cross_entropy": ("교차 엔트로피 L = −Σ t·log y의 y에 대한 미분은 −t/y (배치 평균이면 N으로 나눔)입니다.",
                      "Cross entropy L = −Σ t·log y has the derivative −t/y with respect to y (divided by N for a "
                      "batch mean)."),
    "rule-softmax_cross_entropy": ("Softmax-with-Loss 계층의 역전파는 (y − t)/N: 소프트맥스 출력에서 정답 레이블을 빼고 "
                              "배치 크기로 나눕니다.",
                              "Softmax-with-Loss backward is (y − t)/N: the softmax output minus the one-hot label, "
                              "divided by the batch size."),
    "rule-chain": ("{node} 노드의 국소 미분에 상류 기울기를 곱해 흘려보냅니다(연쇄 법칙).",
                   "Multiply the local derivative of {node} by the upstream gradient (the chain rule)."),
    "hint-paths": ("{node}은(는) 여러 노드({consumers})에 쓰이므로, 각 경로로 흘러온 기울기를 모두 더합니다.",
                   "{node} feeds several nodes ({consumers}), so add up the gradients arriving along every path."),
    "hint-output": ("출력 자신에 대한 기울기는 1입니다. 역전파는 여기서 1로 시작합니다.",
                    "The gradient of the output with respect to itself is 1; backpropagation starts from 1."),
    "hint-compute": ("{formula} = ? 계산해 보세요.", "{formula} = ? Work it out."),
    "solution-answer": ("정답: {value}", "Answer: {value}"),
    "solution-formula": ("{point}일 때 정답 식의 값: {value}", "At {point} the answer's formula equals {value}."),
    "formula-differs": ("{point}일 때 입력한 식의 값은 {given}, 정답 식의 값은 {expected}입니다.",
                        "At {point} your formula gives {given}; the answer gives {expected}."),
}


def say(key: str, lang: str = "ko", **params) -> str:
    ko, en = MESSAGES[key]
    return (en if lang == "en" else ko).format(**params)
