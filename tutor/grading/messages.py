"""Every sentence the grader says, in Korean and English, in one table so both stay in step.

Templates use ``str.format`` fields. Numbers and node names are never followed by a Korean particle
that changes with the word before it (은/는, 이/가, 을/를), since which one fits depends on how the number
or the lesson's label is read aloud; 의 and 쪽 fit after any word. Korean is in 합니다체, the voice of the
course's prose.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- reading the answer ----------------------------------------------------------------
    "empty": ("답을 입력해 주세요.", "Please type an answer."),
    "too-long": ("답이 너무 깁니다({length}자). {limit}자 이내로 써 주세요.",
                 "That answer is too long ({length} characters); keep it under {limit}."),
    "bad-character": ("\"{char}\" 문자는 쓸 수 없습니다. 숫자와 + - * / ^ ( )만 써 주세요.",
                      "The character \"{char}\" cannot be used here; use numbers and + - * / ^ ( )."),
    "decimal-comma": ("소수점은 쉼표 대신 점으로 써 주세요: {suggestion}",
                      "Write the decimal point as a dot, not a comma: {suggestion}"),
    "comma-both-ways": ("쉼표를 천 단위 구분으로 읽으면 {thousands}, 소수점으로 읽으면 {decimal}입니다. 소수라면 점으로 "
                        "써 주세요: {decimal}",
                        "Read as a thousands separator the comma gives {thousands}; as a decimal comma, {decimal}. For "
                        "a decimal, write a dot: {decimal}"),
    "thousands-comma": ("천 단위 쉼표는 빼고 써 주세요: {thousands} (소수라면 {decimal})",
                        "Leave out the thousands separator: {thousands} (or {decimal} if you meant a decimal)"),
    "two-points": ("'{text}'에는 소수점이 두 개 이상 있습니다. 수 하나에 소수점은 하나만 씁니다.",
                   "'{text}' has more than one decimal point; a number has at most one."),
    "hex": ("16진수 같은 다른 진법은 쓸 수 없습니다. 10진수로 써 주세요.",
            "Hexadecimal and other bases are not accepted; write the number in decimal."),
    "two-numbers": ("두 수 사이에 연산자가 없습니다('{text}'). 사이에 + - * / 중 하나를 넣어 주세요.",
                    "Two numbers stand side by side ('{text}'); put an operator (+ - * /) between them."),
    "too-deep": ("괄호가 너무 깊게 겹쳐 있습니다.", "The brackets are nested too deeply."),
    "unbalanced": ("괄호의 짝이 맞지 않습니다.", "The brackets do not match."),
    "syntax": ("식을 읽을 수 없습니다: '{text}'. 빠진 숫자나 연산자가 없는지 확인해 주세요.",
               "'{text}' cannot be read as a formula; check for a missing number or operator."),
    "not-finite": ("'{name}' 같은 값은 답으로 쓸 수 없습니다. 보통의 수를 써 주세요.",
                   "'{name}' cannot be an answer; please type an ordinary (finite) number."),
    "name-in-number": ("이 빈칸에는 수만 쓸 수 있습니다. '{name}' 대신 그 값을 계산해서 써 주세요.",
                       "This blank takes a number: work out the value of '{name}' and type that."),
    "function-in-number": ("이 빈칸에는 수와 사칙연산, 거듭제곱만 쓸 수 있습니다.",
                           "Only numbers, + - * / and powers can be used here."),
    "unknown-name": ("그래프에 없는 이름입니다: '{name}'{suggestion}. 쓸 수 있는 이름: {names}",
                     "There is no name '{name}'{suggestion}. Names you can use: {names}"),
    "not-a-var": ("이 식에는 {vars}만 쓸 수 있습니다. '{name}' 대신 쓸 수 있는 변수({vars})로 풀어 써 주세요.",
                  "Only {vars} may be used in this formula: write '{name}' out in terms of them."),
    "did-you-mean": (" (혹시 '{name}'인가요?)", " (did you mean '{name}'?)"),
    "too-many-digits": ("자릿수가 너무 많습니다. {limit}자리까지 쓸 수 있습니다.",
                        "That number has too many digits (at most {limit})."),
    "too-large": ("수가 너무 크거나 너무 작아서 계산할 수 없습니다.", "That number is too large (or too small) to work with."),
    "not-real": ("음수를 분수로 거듭제곱하면 실수가 나오지 않습니다.", "A negative number to a fractional power is not a real number."),
    "division-by-zero": ("0으로 나눌 수 없습니다.", "Division by zero is not defined."),
    "read-thousands": ("(천 단위 구분은 빼고 읽었습니다: {value})", "(read without the thousands separators: {value})"),
    "read-unit": ("(단위({unit})는 빼고 수만 읽었습니다: {value})", "(read without the unit '{unit}': {value})"),
    "vector-length": ("수 {expected}개를 써야 하는데 {given}개를 썼습니다.", "{expected} numbers are expected and you typed {given}."),
    "vector-length-one": ("수 {expected}개를 써야 하는데 하나만 썼습니다. 여러 수는 쉼표로 구분해 주세요(예: 3, 6, 9).",
                          "{expected} numbers are expected and you typed one; separate several with commas "
                          "(e.g. 3, 6, 9)."),
    "not-evaluable": ("그래프의 값을 넣으면 이 식은 계산할 수 없습니다(0으로 나누기, 음수의 로그 등).",
                      "This formula cannot be evaluated at the graph's values (division by zero, log of a negative ...)."),
    "shape": ("식에 쓴 벡터나 행렬의 크기가 서로 맞지 않습니다.", "The shapes in the formula do not fit together."),
    "unknown-option": ("보기 번호(1~{last}) 중 하나를 써 주세요. 보기의 글을 앞부분만 써도 됩니다.",
                       "Type the number of one of the options (1 to {last}), or the start of its text."),
    "ambiguous-option": ("여러 보기가 '{text}'(으)로 시작합니다: {numbers}. 번호로 골라 주세요.",
                         "More than one option starts with '{text}': {numbers}. Choose by number."),
    # ---- verdicts ----------------------------------------------------------------------------
    "correct": ("정답입니다.", "Correct."),
    "incorrect": ("아직 아닙니다. 한 번 더 생각해 보세요.", "Not yet. Give it another try."),
    "rounded-close": ("거의 맞습니다. 반올림해서 쓴 것 같습니다. 자리를 더 써 주세요.",
                      "Close: that looks rounded. Write more digits."),
    "zero-not-accepted": ("0은 아닙니다. 이 노드에는 0이 아닌 기울기가 흘러옵니다.",
                          "The answer is not 0: a non-zero gradient reaches this node."),
    "band-rounded": ("입력한 값은 정답 {expected}의 반올림으로 보고 인정합니다(허용 범위 ±{percent}: {low} ~ {high}).",
                     "{given} is {expected} rounded, so it counts (the band is ±{percent}: {low} to {high})."),
    "band-close": ("입력한 값은 정답 {expected}의 반올림은 아니지만 허용 범위(±{percent}: {low} ~ {high}) 안에 있어 "
                   "인정합니다.",
                   "{given} is not {expected} rounded, but it is within the band (±{percent}: {low} to {high}), so "
                   "it counts."),
    "band-vector-rounded": ("정답은 {expected}입니다. 입력한 수는 모두 이 값들을 반올림한 것으로 보고 인정합니다"
                            "(허용 범위 ±{percent}).",
                            "The answer is {expected}; each number you typed is it rounded, so it counts (the band "
                            "is ±{percent})."),
    "band-vector-close": ("정답은 {expected}입니다. 입력한 수가 모두 반올림한 값은 아니지만 이 값들의 ±{percent} 범위 "
                          "안에 있어 인정합니다.",
                          "The answer is {expected}; not every number you typed is it rounded, but each is within "
                          "{percent} of it, so it counts."),
    "carried": ("앞 빈칸에 쓴 {value}에서 출발하면 계산은 맞습니다. 다만 실제 정답은 {expected}입니다. "
                "앞 빈칸을 고치면 이 값도 함께 달라집니다.",
                "Right, given your earlier answer {value}. The true value is {expected}; fix the earlier blank and "
                "this one changes with it."),
    "carried-rounded": ("정답입니다. 앞 빈칸에 쓴 반올림한 값 {value}에서 계산한 값이라 인정합니다. 정확한 값에서 "
                        "계산하면 {expected}입니다.",
                        "Correct: that follows from your rounded earlier answer {value}. Computed from the exact "
                        "value it is {expected}."),
    "wrong-option": ("이 보기는 정답이 아닙니다.", "That option is not the answer."),
    # ---- mistakes: each names the rule the learner needs -------------------------------------
    "mistake-own-input": (
        "곱셈 노드는 상류 기울기에 ‘다른’ 입력의 값을 곱해 흘려보냅니다. {consumer} 노드에서 {node} 쪽으로는 "
        "{node} 자신의 값({own})이 아니라 다른 입력 {other}의 값({other_value})을 상류 기울기({upstream})에 곱해야 합니다.",
        "A multiplication node passes back the upstream gradient times the other input (not its own). At the {consumer} node, the "
        "gradient for {node} is the upstream gradient ({upstream}) times {other} ({other_value}), not times {node} "
        "itself ({own})."),
    "mistake-own-input-constant": (
        "곱셈 노드는 상류 기울기에 ‘다른’ 입력의 값을 곱해 흘려보냅니다. {consumer} 노드에서 {node} 쪽으로 상류 "
        "기울기({upstream})에 곱할 것은 {node} 자신의 값({own})이 아니라 다른 입력인 상수 {other}입니다.",
        "A multiplication node passes back the upstream gradient times the other input (not its own). At the {consumer} node, the "
        "gradient for {node} is the upstream gradient ({upstream}) times the other input, the constant {other}, not "
        "times {node} itself ({own})."),
    "mistake-own-input-local": (
        "곱셈 노드의 국소적 미분은 ‘다른’ 입력의 값입니다. 국소적 미분 ∂{consumer}/∂{node}의 값은 {node} 자신의 "
        "값({own})이 아니라 다른 입력 {other}의 값입니다.",
        "A multiplication node's local derivative is the other input's value: ∂{consumer}/∂{node} is the value "
        "of {other}, not of {node} itself ({own})."),
    "mistake-own-input-local-constant": (
        "곱셈 노드의 국소적 미분은 ‘다른’ 입력의 값입니다. 국소적 미분 ∂{consumer}/∂{node}의 값은 {node} 자신의 "
        "값({own})이 아니라 다른 입력인 상수 {other}입니다.",
        "A multiplication node's local derivative is the other input's value: ∂{consumer}/∂{node} is the other "
        "input, the constant {other}, not {node} itself ({own})."),
    "mistake-split-at-add": (
        "덧셈 노드는 상류 기울기를 나누지 않고 모든 입력에 그대로 흘려보냅니다(국소적 미분이 1). "
        "{consumer} 노드로 들어온 기울기({upstream})가 {node} 쪽에도 그대로 전해집니다.",
        "An addition node does not split the upstream gradient: it passes it unchanged to every input (its local "
        "derivative is 1), so {node} receives the full {upstream} from the {consumer} node."),
    "mistake-local-only": (
        "국소적 미분(∂{consumer}/∂{node} = {local})만 구하고 상류 기울기({upstream})를 곱하지 않은 것 같습니다. "
        "역전파는 노드의 국소적 미분에 상류에서 흘러온 기울기를 곱해 흘려보냅니다(연쇄법칙).",
        "That looks like the local derivative (∂{consumer}/∂{node} = {local}) without the upstream gradient "
        "({upstream}). Backpropagation multiplies each local derivative by the gradient flowing in from upstream "
        "(the chain rule)."),
    "mistake-upstream-only": (
        "상류에서 흘러온 기울기({upstream})를 그대로 옮겨 적은 것 같습니다. {consumer} 노드를 지날 때는 "
        "그 노드의 국소적 미분(∂{consumer}/∂{node} = {local})도 곱해야 합니다.",
        "That looks like the upstream gradient ({upstream}) copied through unchanged. At the {consumer} node, multiply it by "
        "the local derivative (∂{consumer}/∂{node} = {local}) as well."),
    "mistake-forward-value": (
        "{node}의 순전파 값({value})을 쓴 것 같습니다. 이 빈칸은 기울기를 묻습니다. 즉 다른 값은 그대로 두고 "
        "{wrt}만 아주 조금 늘렸을 때 {output}의 값이 그 몇 배만큼 변하는지입니다.",
        "That looks like the forward value of {node} ({value}). This blank asks for a gradient: when {wrt} alone "
        "grows by a tiny amount, how many times that amount {output} changes by."),
    "mistake-gradient-for-value": (
        "역전파로 구하는 기울기 ∂{output}/∂{node}의 값({value})을 쓴 것 같습니다. 이 빈칸은 순전파 값, 곧 "
        "입력에서부터 계산해 {node}에 도착하는 값을 묻습니다.",
        "That looks like the gradient ∂{output}/∂{node} ({value}), which the backward pass finds. This blank asks "
        "for the forward value: what reaches {node} when you compute from the inputs."),
    "mistake-sign-flip": (
        "크기는 맞지만 부호가 반대입니다. 경로를 따라 곱하는 값들의 부호를 하나씩 다시 확인해 보세요.",
        "The size is right but the sign is flipped: check the sign of each factor along the path."),
    "mistake-missing-1/n": (
        "평균의 1/N을 빠뜨린 것 같습니다. {consumer} 노드는 N = {n}개의 평균이므로 기울기에도 1/N이 곱해집니다.",
        "The 1/N of the mean seems to be missing: the {consumer} node is a mean over N = {n} items, so the "
        "gradient carries 1/N too."),
    "mistake-missing-2-mse": (
        "제곱을 미분할 때 나오는 2를 빠뜨린 것 같습니다. {consumer} 노드의 L = (1/N)Σ(y − ŷ)²"
        "(N = {n}, ŷ = {pred}, y = {target})을 ŷ로 미분하면 ∂L/∂ŷ = (2/N)(ŷ − y) = {local}입니다.",
        "The factor 2 from differentiating the square seems to be missing: the {consumer} node's "
        "L = (1/N)Σ(y − ŷ)² (N = {n}, ŷ = {pred}, y = {target}) has ∂L/∂ŷ = (2/N)(ŷ − y) = {local}."),
    "mistake-missing-2-square": (
        "제곱을 미분할 때 나오는 2를 빠뜨린 것 같습니다. {consumer} 노드는 u²(u = {arg} = {u})이고, "
        "u²을 u로 미분하면 2u = {local}입니다.",
        "The factor 2 from differentiating the square seems to be missing: the {consumer} node is u² "
        "(u = {arg} = {u}), and the derivative of u² by u is 2u = {local}."),
    "mistake-sse-convention": (
        "책의 손실 ½Σ(y − ŷ)²로 계산한 것 같습니다. 이 레슨의 {consumer} 노드는 L = (1/N)Σ(y − ŷ)²"
        "(N = {n}, ŷ = {pred}, y = {target})이라 ∂L/∂ŷ = (2/N)(ŷ − y) = {local}입니다. 책의 ½Σ(y − ŷ)²이면 "
        "∂L/∂ŷ = ŷ − y = {book}이라 그 뒤의 기울기가 모두 N/2 = {factor}배가 됩니다.",
        "That is the gradient of the book's loss ½Σ(y − ŷ)². This lesson's {consumer} node is "
        "L = (1/N)Σ(y − ŷ)² (N = {n}, ŷ = {pred}, y = {target}), so ∂L/∂ŷ = (2/N)(ŷ − y) = {local}; with the "
        "book's ½Σ(y − ŷ)², ∂L/∂ŷ = ŷ − y = {book}, and every gradient behind it is N/2 = {factor} times as large."),
    "mistake-loss-missing-1/n": (
        "제곱 오차를 더하기만 하고 N = {n}으로 나누지 않은 것 같습니다. 이 레슨의 손실({consumer})은 "
        "(1/N)Σ(y − ŷ)², 곧 제곱 오차의 평균입니다.",
        "That is the sum of the squared errors, not divided by N = {n}. This lesson's loss ({consumer}) is "
        "(1/N)Σ(y − ŷ)², the mean of the squared errors."),
    "mistake-loss-sse-convention": (
        "책의 손실 ½Σ(y − ŷ)²로 계산한 것 같습니다. 이 레슨의 손실({consumer})은 강의의 MSE (1/N)Σ(y − ŷ)²"
        "(N = {n})입니다. 제곱 오차를 모두 더한 뒤 2가 아니라 N으로 나눕니다.",
        "That is the book's loss ½Σ(y − ŷ)². This lesson's loss ({consumer}) is the lecture's MSE "
        "(1/N)Σ(y − ŷ)² (N = {n}): add the squared errors and divide by N, not by 2."),
    "mistake-relu-at-zero": (
        "입력이 정확히 0인 자리에도 기울기를 그대로 보낸 것 같습니다. ReLU는 0에서 미분할 수 없고, 책의 Relu 계층은 "
        "mask(x <= 0)로 그 자리를 0으로 막습니다. 이 코스도 0을 씁니다.",
        "That passes the gradient where the input is exactly 0. ReLU has no derivative at 0; the book's Relu "
        "layer blocks that place with its mask (x <= 0), and this course takes 0 there too."),
    "mistake-one-path": (
        "{node}의 값은 여러 노드({consumers})로 흘러가는데, {consumer} 쪽 경로의 기울기({path})만 구한 것 같습니다. "
        "모든 경로에서 흘러온 기울기를 더해야 합니다.",
        "{node} feeds several nodes ({consumers}); that is the gradient along the path through {consumer} ({path}) "
        "only. Add the gradients from every path."),
    "mistake-with-upstream": (
        "이 빈칸은 국소적 미분만 묻습니다. 상류 기울기({upstream})는 곱하지 않습니다.",
        "This blank asks for the local derivative alone: leave out the upstream gradient ({upstream})."),
    "mistake-or": ("또는", "Or perhaps:"),  # between two mistakes that give the same value
    # ---- hints: how each kind of node passes a gradient back ({what}) -------------

    "rule-add": ("덧셈 노드({what})는 상류 기울기를 모든 입력에 그대로 흘려보냅니다. 국소적 미분은 1입니다.",
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
    "rule-relu": ("ReLU 노드는 순전파 때 입력이 0보다 컸으면 상류 기울기를 그대로, 그렇지 않으면 0을 흘려보냅니다(입력이 정확히 0이었어도 0).",
             "A ReLU node passes the upstream gradient through where its input was above 0, and 0 elsewhere "
             "(also at exactly 0)."),
    # The node's own names, not y and x: a lesson's graph may call other nodes so (lesson 13's sigmoid).
    "rule-sigmoid": ("Sigmoid 노드({what})의 국소적 미분은 출력 × (1 − 출력), 곧 {node}(1 − {node})입니다. "
                     "순전파의 출력만 있으면 계산할 수 있습니다.",
                     "A sigmoid node ({what}) has the local derivative output × (1 − output), that is "
                     "{node}(1 − {node}): the forward output alone gives it."),
    "rule-tanh": ("tanh 노드({what})의 국소적 미분은 1 − 출력², 곧 1 − {node}²입니다.",
                  "A tanh node ({what}) has the local derivative 1 − output², that is 1 − {node}²."),
    "rule-exp": ("exp 노드({what})의 국소적 미분은 exp(입력), 곧 그 노드의 출력 {node}입니다. "
                 "순전파의 출력을 그대로 곱하면 됩니다.",
                 "An exp node ({what}) has the local derivative exp(its input), which is its own output {node}: "
                 "multiply by the forward output."),
    "rule-log": ("log 노드({what})의 국소적 미분은 1/입력입니다.", "A log node ({what}) has the local derivative 1/its input."),
    "rule-sum": ("합 노드(Σ)는 상류 기울기를 모든 원소에 그대로 전합니다(각 원소의 국소적 미분이 1).",
            "A sum node (Σ) hands the upstream gradient to every element unchanged (each local derivative is 1)."),
    "rule-mean": ("평균 노드는 상류 기울기를 원소 수 N으로 나눠 모든 원소에 흘려보냅니다(국소적 미분 1/N).",
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
    "rule-chain": ("{node} 노드의 국소적 미분에 상류 기울기를 곱해 흘려보냅니다(연쇄법칙).",
                   "Multiply the local derivative of {node} by the upstream gradient (the chain rule)."),
    "hint-paths": ("{node}의 값은 여러 노드({consumers})로 흘러가므로, 각 경로에서 돌아온 기울기를 모두 더합니다.",
                   "{node} feeds several nodes ({consumers}), so add up the gradients arriving along every path."),
    "hint-output": ("출력 자신에 대한 기울기는 1입니다. 역전파는 여기서 1로 시작합니다.",
                    "The gradient of the output with respect to itself is 1; backpropagation starts from 1."),
    "hint-compute": ("{formula} = ? 계산해 보세요.", "{formula} = ? Work it out."),
    "solution-answer": ("정답: {value}", "Answer: {value}"),
    "solution-formula": ("정답 식: {formula} ({point}일 때 값은 {value})", "Answer: {formula} (at {point} it equals {value})"),
    "solution-formula-value": ("{point}일 때 정답 식의 값은 {value}입니다.", "At {point} the answer's formula equals {value}."),
    "number-for-formula": ("지금 그래프의 값에서는 맞는 수입니다. 하지만 이 빈칸은 식을 묻습니다: {vars}로 써서, 다른 "
                           "값에서도 맞도록 해 주세요.",
                           "That is the right number at the graph's values, but this blank asks for the formula: write "
                           "it in {vars}, so that it is right at other values too."),
    "formula-differs": ("{point}일 때 입력한 식의 값은 {given}, 정답 식의 값은 {expected}입니다. 한 점에서라도 값이 "
                        "다르면 같은 식이 아닙니다.",
                        "At {point} your formula gives {given}; the right one gives {expected}, so they are not the "
                        "same formula."),
}


def say(key: str, lang: str = "ko", **params) -> str:
    ko, en = MESSAGES[key]
    return (en if lang == "en" else ko).format(**params)
