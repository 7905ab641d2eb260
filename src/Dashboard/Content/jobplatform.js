// JobPlatform's additions to the Hangfire dashboard's script: outcomes of actions (Hangfire's buttons reload on
// success and show nothing on an error), the signed-in user and sign-out, the Backlog page's self-refresh and the
// Search page's bulk actions, each confirmed with its count. Messages are inserted as text, never as HTML.
(function ($) {
    'use strict';

    var statsUrl = $('#hangfireConfig').data('pollurl') || '';
    var base = statsUrl.replace(/\/stats$/, '');

    function notice(text, kind) {
        var $n = $('#jp-notice');
        if (!$n.length) {
            $n = $('<div id="jp-notice" class="alert" role="status"><button type="button" class="close" aria-label="Close">&times;</button><span class="jp-notice-text"></span></div>');
            $n.find('.close').on('click', function () { $n.remove(); });
            $n.prependTo('.js-page-container');
        }
        $n.removeClass('alert-success alert-danger alert-info').addClass('alert-' + kind);
        $n.find('.jp-notice-text').text(text);
    }

    function resetButtons() {
        setTimeout(function () {
            $('[data-loading-text]').each(function () { $(this).button('reset'); });
        }, 150);
    }

    function failureText(xhr) {
        if (xhr.status === 401) { return 'Your sign-in has ended: reload the page to sign in again.'; }
        if (xhr.status === 403 && !xhr.responseText) { return 'Your role cannot do this.'; }
        var type = xhr.getResponseHeader('Content-Type') || '';
        if (xhr.responseText && type.indexOf('text/plain') === 0) { return xhr.responseText; }
        if (xhr.status === 0) { return 'The dashboard did not answer: is it still running?'; }
        return 'The dashboard answered ' + xhr.status + ' ' + (xhr.statusText || '') + '.';
    }

    // The outcome of the action that caused this page load.
    var flash = document.cookie.match(/(?:^|; )jp_notice=([^;]*)/);
    if (flash) {
        document.cookie = 'jp_notice=; Max-Age=0; Path=' + base;
        notice(decodeURIComponent(flash[1]), 'success');
    }

    // A refused or failed action: say why, and give the button back.
    $(document).ajaxError(function (event, xhr, settings) {
        if (settings.url === statsUrl || (settings.url || '').indexOf('/backlog/table') >= 0) { return; }
        notice(failureText(xhr), 'danger');
        resetButtons();
    });

    // Who is signed in, and a way out.
    $.getJSON(base + '/session').done(function (s) {
        var $nav = $('<ul class="nav navbar-nav navbar-right jp-user"></ul>');
        var $item = $('<li></li>').appendTo($nav);
        $('<p class="navbar-text"></p>').text(s.name + ' (' + s.role + ')').appendTo($item);
        if (s.signOut) {
            var $form = $('<form method="post" class="navbar-form navbar-left jp-sign-out"></form>').attr('action', s.signOut);
            $('<input type="hidden" name="__RequestVerificationToken">').val($('meta[name="csrf-token"]').attr('content') || '').appendTo($form);
            $('<button type="submit" class="btn btn-default btn-sm">Sign out</button>').appendTo($form);
            $('<li></li>').append($form).appendTo($nav);
        }
        $('.navbar-collapse').append($nav);
        // Hangfire's Failed page says failed jobs never expire; JobPlatform prunes them after their retention.
        $('.alert-warning').filter(function () { return $(this).text().indexOf('AutomaticRetry') >= 0; }).text(s.failedNote);
    });

    // Recurring: schedules can be paused and resumed (Hangfire has no such buttons). Hangfire's list script posts the
    // checked rows of any .js-jobs-list-command button to its data-url.
    var $trigger = $('.js-jobs-list-command[data-url$="/recurring/trigger"]');
    if ($trigger.length) {
        $.each([['pause', 'Pause', 'glyphicon-pause'], ['resume', 'Resume', 'glyphicon-play']], function (_, b) {
            $('<button class="js-jobs-list-command btn btn-sm btn-default" disabled="disabled"></button>')
                .addClass('jp-schedule-' + b[0])
                .attr('data-url', base + '/recurring/' + b[0])
                .attr('data-loading-text', b[1] + '…')
                .append($('<span class="glyphicon"></span>').addClass(b[2]), ' ' + b[1])
                .insertAfter($trigger.siblings('.js-jobs-list-command').last().length ? $trigger.siblings('.js-jobs-list-command').last() : $trigger);
        });
    }

    // Backlog: refresh the table while the tab is visible.
    $('[data-jp-refresh-url]').each(function () {
        var el = this;
        var url = $(el).data('jp-refresh-url');
        var every = parseInt($(el).data('jp-refresh-ms'), 10) || 5000;
        var $stamp = $('.jp-refreshed');
        var last = Date.now();
        setInterval(function () {
            if (document.hidden) { return; }
            $.get(url).done(function (html) {
                el.innerHTML = html;
                last = Date.now();
                $stamp.text('updated just now').removeClass('text-danger');
            }).fail(function (xhr) {
                $stamp.text('not updated for ' + Math.round((Date.now() - last) / 1000) + ' s: ' + failureText(xhr)).addClass('text-danger');
            });
        }, every);
    });

    // Search: bulk actions on the selected jobs, or on everything matching the search, after a confirmation
    // that states the count.
    $(document).on('click', '.jp-bulk', function (e) {
        e.preventDefault();
        var $b = $(this);
        var url = $b.data('url');
        var verb = $b.data('verb');
        var done = function () { window.location.reload(); };
        if ($b.data('scope') === 'selected') {
            var jobs = $('input.js-jobs-list-checkbox:checked').map(function () { return $(this).val(); }).get();
            if (jobs.length === 0) { notice('Select jobs first.', 'info'); return; }
            if (window.confirm(verb + ' the ' + jobs.length + ' selected job' + (jobs.length === 1 ? '' : 's') + '?')) {
                $b.button('loading');
                $.post(url, { 'jobs[]': jobs }).done(done);
            }
            return;
        }
        $.getJSON($b.data('count-url')).done(function (count) {
            if (count.count === 0) { notice('No job matches the search; nothing to do.', 'info'); return; }
            if (window.confirm(verb + ' ' + count.description + '?')) {
                $b.button('loading');
                $.post(url).done(done);
            }
        });
    });
})(jQuery);
