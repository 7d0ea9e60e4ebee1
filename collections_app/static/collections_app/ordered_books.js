'use strict';
// Ordered book pickers and orderable group rows on the collection page. Moves only rearrange the page;
// the order is saved by the collection services when the form is submitted.
{
    const $ = django.jQuery;

    // A book picked in the search box is appended to its picker's list (once).
    $(document).on('select2:select', '.ordered-books-search', function(event) {
        const picker = this.closest('.ordered-books');
        const list = picker.querySelector('.ordered-books-list');
        const {id, text} = event.params.data;
        const present = Array.from(list.querySelectorAll('input')).some((input) => input.value === id);
        if (!present) {
            const item = picker.querySelector('template.ordered-books-item').content.firstElementChild.cloneNode(true);
            const input = item.querySelector('input');
            input.name = this.name.replace(/__search$/, '');
            input.value = id;
            item.querySelector('.ordered-books-label').textContent = text;
            list.append(item);
        }
        $(this).val(null).trigger('change');
    });

    // Group rows that will be saved: existing groups, and new rows that have a name.
    function groupRows(tbody) {
        return Array.from(tbody.querySelectorAll('tr.form-row:not(.empty-form)')).filter((row) => {
            const name = row.querySelector('input[name$="-name"]');
            return row.classList.contains('has_original') || (name && name.value.trim() !== '');
        });
    }

    function numberGroups(tbody) {
        groupRows(tbody).forEach((row, index) => {
            const place = row.querySelector('input[name$="-place"]');
            if (place) {
                place.value = index;
            }
        });
    }

    function move(element, selector, up) {
        const sibling = up ? element.previousElementSibling : element.nextElementSibling;
        if (sibling && sibling.matches(selector)) {
            (up ? sibling.before(element) : sibling.after(element));
        }
    }

    document.addEventListener('click', (event) => {
        const button = event.target.closest('.ordered-books button, button.group-move');
        if (!button) {
            return;
        }
        event.preventDefault();
        const up = button.matches('.ordered-books-up, .group-move-up');
        if (button.matches('.ordered-books-remove')) {
            button.closest('li').remove();
        } else if (button.matches('.group-move')) {
            const row = button.closest('tr');
            move(row, 'tr.form-row:not(.empty-form)', up);
            numberGroups(row.closest('tbody'));
        } else {
            move(button.closest('li'), 'li', up);
        }
        button.focus();
    });

    document.addEventListener('submit', (event) => {
        event.target.querySelectorAll('.group-orderable tbody').forEach(numberGroups);
    }, true);
}
