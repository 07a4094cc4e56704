"""`tutor new ID`: a lesson to start from. It passes `tutor check` and shows every feature of the
format in comments, so an instructor can delete what they do not need."""

TEMPLATE = """\
---
# Lesson format v1 (see docs/authoring.md in backprop-tutor). Everything between the two '---' lines is YAML.
# Numbers follow YAML 1.2: 1e-3 is a number. Duplicate keys, anchors (&a), aliases (*a) and tags (!!x)
# are errors. Run `tutor check --strict LESSON_ID.md` after every change, keep
# `tutor preview --watch LESSON_ID.md` open beside the editor, and `tutor answers LESSON_ID.md` prints the key.
id: LESSON_ID                             # unique; lowercase letters, digits, single hyphens
title: {ko: 새 레슨, en: A new lesson}     # a plain string, or {ko: ..., en: ...} (missing en = Korean)
source: {ko: "책 5.4.1 (p.161)", en: "Book 5.4.1 (p.161)"}   # optional: the book section it follows
# requires: [apple-backward]              # optional: ids of earlier lessons (ordered by file name)
params: {lr: 0.1}                         # optional named numbers, usable in nodes and answers
graphs:
  shop:                                   # a graph's name, used by {{graph shop}} and by problems
    inputs:                               # leaves: a number, a list, or a nested list
      apple_price: 100
      apple_count: 2
      tax: 1.1
    nodes:                                # name: expression; ops + - * / ** @, relu sigmoid tanh exp
      apple_total: apple_price * apple_count   # log square sum mean transpose matmul affine mse sse
      payment: apple_total * tax               # softmax cross_entropy softmax_cross_entropy
    output: payment                       # what grad() differentiates (default: the last node)
    labels:                               # optional names shown in the drawing
      apple_price: {ko: 사과 가격, en: apple price}
      payment: {ko: 지불 금액, en: payment}
  line:                                   # a second graph: now every problem says which graph it uses
    inputs:
      x: [1, 2, 3]
    nodes:
      y: 2 * x
variants:                                 # optional: each attempt may use other numbers
  apple_price: [100, 150, 200]            #   pick one of a list
  apple_count: {int: [2, 5]}              #   a whole number from 2 to 5 (with 1, a wrong rule is right)
  # tax: {float: [1.05, 1.2], step: 0.05} #   a number from a range, in steps
problems:
  - id: payment                           # unique in the lesson; placed in the text by {{blank payment}}
    graph: shop                           # may be left out when the lesson has only one graph
    type: number                          # number (default) | expression | vector | choice
    answer: value(payment)                # value(n) grad(n) d(m, n) local(m, n), [i] indexing,
                                          # + - * / **, params, sum mean abs: computed by the engine
    prompt: {ko: 지불 금액은 얼마인가요?, en: What is the payment?}
    hints:                                # shown one at a time: the general rule first, the specific step last
      - {ko: 계산 그래프의 값은 왼쪽에서 오른쪽으로 흐릅니다., en: Values flow through the graph from left to right.}
      - {ko: 사과 값에 소비세를 곱하세요., en: Multiply the apples' cost by the tax.}
  - id: d-price
    graph: shop
    answer: grad(apple_price)
    prompt: {ko: 사과 가격이 1원 오르면 지불 금액은 몇 원 오르나요?, en: "If an apple costs 1 won more, how much more do you pay?"}
    tolerance: {rel: 0.005}               # optional; default relative 0.5% (exact for whole numbers)
    # allow_zero: true                    # optional: accept 0 for a gradient that is really 0
    mistakes:                             # optional: wrong answers you can name
      - id: forgot-tax
        answer: value(apple_count)        # an answer expression giving the wrong value
        message: {ko: 소비세 노드를 지나는 것을 빠뜨린 것 같습니다., en: You seem to have skipped the tax node.}
  - id: d-count-formula
    graph: shop
    type: expression                      # the learner types a formula in vars, e.g. apple_price * tax
    vars: [apple_price, tax]
    answer: grad(apple_count)             # compared with the learner's formula at random points
    prompt: {ko: 사과 개수에 대한 기울기를 식으로 쓰세요., en: Write the gradient for the apple count as a formula.}
  - id: all-grads
    graph: line
    type: vector                          # several numbers at once: the learner types 2, 4, 6
    answer: value(y)
    prompt: {ko: y의 세 값은 무엇인가요?, en: What are the three values of y?}
  - id: direction
    type: choice
    answer: backward                      # the id of the right option
    options:
      - {id: forward, text: {ko: 순전파, en: the forward pass}}
      - {id: backward, text: {ko: 역전파, en: the backward pass}}
    prompt: {ko: 기울기는 어느 방향으로 구하나요?, en: Which pass computes the gradients?}
---
Text before the first '##' heading is the lesson's opening step (it may be left out).

## 순전파 / Forward

사과 가격과 소비세로 지불 금액을 계산해 봅시다. 글은 합니다체로 씁니다.

Markdown, Korean first. Math in $...$ and $$...$$ is LaTeX: $\\frac{\\partial L}{\\partial x}$, $x^2$.
The placeholders below draw a graph (graph NAME) and put a problem's blank (blank ID) in the text;
every problem must be placed once.

{{graph shop}}

{{blank payment}}

::: en
Let us work out the payment from the apple price and the tax.

English text goes in blocks like this one; without them English readers see the Korean.
:::

## 역전파 / Backward

{{blank d-price}}

{{blank d-count-formula}}

{{graph line}}

{{blank all-grads}}

{{blank direction}}
"""


def scaffold(lesson_id: str) -> str:
    return TEMPLATE.replace("LESSON_ID", lesson_id)
