/*
 * The survey page's only script (served as /assets/survey.js; never inline, so a strict CSP
 * holds). rules §5 (libs/nps/README.md): a score is recorded when a person is there. Opening a score link
 * records nothing, because mail scanners open every link; once the page has been VISIBLE for
 * 2 seconds in total (Page Visibility API: hidden time does not count), the chosen score is
 * posted with via=visible. Everything here is an enhancement: without it the form's
 * "Confirm score" button records the same answer.
 */
(function () {
  'use strict';
  var VISIBLE_MS_NEEDED = 2000;
  var form = document.getElementById('answer-form');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var url = form.getAttribute('data-presence-url');
  var status = document.getElementById('score-status');
  var question = document.getElementById('comment-question');
  var optIn = document.getElementById('reference-opt-in-choice');
  var button = form.querySelector('button[type="submit"]');

  var visibleMs = 0;
  var visibleSince = null;
  var timer = null;
  var recorded = false;

  function chosenScore() {
    var checked = form.querySelector('input[name="score"]:checked');
    return checked ? checked.value : null;
  }

  function categoryOf(score) {
    var n = Number(score);
    return n >= 9 ? 'promoter' : n >= 7 ? 'passive' : 'detractor';
  }

  function postScore(score) {
    var body = new URLSearchParams();
    body.set('score', score);
    body.set('via', 'visible');
    return fetch(url, { method: 'POST', body: body, credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) return;
      recorded = true;
      status.textContent = 'Your score of ' + score + ' is saved. Add a comment if you like, then press Send.';
      button.textContent = 'Send';
    });
  }

  function pause() {
    if (visibleSince === null) return;
    visibleMs += Date.now() - visibleSince;
    visibleSince = null;
    clearTimeout(timer);
    timer = null;
  }

  function resume() {
    if (recorded || visibleSince !== null || document.visibilityState !== 'visible') return;
    visibleSince = Date.now();
    // The timer only runs while visible (pause clears it), so when it fires the time is there.
    timer = setTimeout(
      function () {
        pause();
        var score = chosenScore();
        if (score !== null) postScore(score);
      },
      Math.max(0, VISIBLE_MS_NEEDED - visibleMs),
    );
  }

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') resume();
    else pause();
  });

  form.addEventListener('change', function (event) {
    var target = event.target;
    if (!target || target.name !== 'score') return;
    var category = categoryOf(target.value);
    question.textContent = question.getAttribute('data-' + category);
    if (optIn) optIn.hidden = category !== 'promoter';
    // A person who already counted as present may change the score until it settles.
    if (recorded) postScore(target.value);
  });

  resume();
})();
